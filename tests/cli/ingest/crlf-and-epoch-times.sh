# CRLF line ends, a last line without newline, epoch-second times merged with RFC 3339.
weir ingest --source-field '' "$WEIR_FIXTURES/ingest-crlf.ndjson" "$WEIR_FIXTURES/ingest-b.ndjson"
