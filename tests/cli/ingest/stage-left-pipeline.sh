# A stage that left the pipeline holds every later epoch uncommitted; the tools say so
# and name the command that drops it. After the reset, runs commit again.
cp "$WEIR_FIXTURES/ingest-a.ndjson" a.ndjson
weir cat --checkpoint ck --name old < a.ndjson > /dev/null
echo "+ run 1" >&2
weir ingest --checkpoint ck --source-field '' a.ndjson | wc -l
echo "+ run 2: run 1's epoch was never committed, so everything comes again" >&2
weir ingest --checkpoint ck --source-field '' a.ndjson | wc -l
echo "+ weir checkpoint reset ck old" >&2
weir checkpoint reset ck old >&2
echo "+ run 3: run 2's epoch commits now; nothing is read again" >&2
weir ingest --checkpoint ck --source-field '' a.ndjson | wc -l
echo "+ run 4: still nothing new" >&2
weir ingest --checkpoint ck --source-field '' a.ndjson | wc -l
