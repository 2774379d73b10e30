# --inner: records without a match leave through --unmatched, unchanged, never silently.
cp "$WEIR_FIXTURES/enrich-events.ndjson" events.ndjson
cp "$WEIR_FIXTURES/enrich-products.ndjson" products.ndjson
weir enrich events.ndjson --table products.ndjson --on product_id=id --select name \
    --inner --unmatched unmatched.ndjson --dlq dead.ndjson
echo "--- unmatched"
cat unmatched.ndjson
echo "--- without --unmatched"
weir enrich events.ndjson --table products.ndjson --on product_id=id --select name --inner \
    2>&1 >/dev/null | grep -v 'not json\|invalid JSON\|could not be processed'
