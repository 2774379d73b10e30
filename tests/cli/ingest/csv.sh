# --format csv: the header row names the fields; numbers stay numbers.
weir ingest --format csv --source-field '' "$WEIR_FIXTURES/ingest-c.csv"
