# Key types: the string "42" and the number 42 are different keys unless --loose-keys.
# A key repeated in the table keeps its last row (counted in the metrics); --strict
# makes it a start-up error.
cp "$WEIR_FIXTURES/enrich-events.ndjson" events.ndjson
cp "$WEIR_FIXTURES/enrich-products.ndjson" products.ndjson
grep '"e[67]"' events.ndjson > numbered.ndjson
echo "--- strict kinds"
weir enrich -q numbered.ndjson --table products.ndjson --on product_id=id --select name=product
echo "--- --loose-keys"
weir enrich -q --loose-keys numbered.ndjson --table products.ndjson --on product_id=id \
    --select name=product
echo "--- duplicate key: last row wins, counted"
grep '"e2"' events.ndjson | weir enrich -q --table products.ndjson --on product_id=id \
    --select name --metrics m.json
grep -o '"products.duplicate_keys":[0-9]*\|"products.keyless_rows":[0-9]*\|"products.rows":[0-9]*' m.json
echo "--- --strict"
weir enrich --strict numbered.ndjson --table products.ndjson --on product_id=id || echo "exit $?"
