# weir dispatches to weir-TOOL, lists tools, and suggests the nearest name.
weir | head -n 1
weir version | sed 's/[0-9][0-9.]*/X/'
weir cta || echo "exit $?"
printf '{"a":1}\n' | weir cat
weir ingest --bogus || echo "exit $?"
