# Two sources are merged by event time, each record tagged with its source label.
weir ingest --label A='*ingest-a*' --label B='*ingest-b*' \
    "$WEIR_FIXTURES/ingest-a.ndjson" "$WEIR_FIXTURES/ingest-b.ndjson"
