# A left join against an NDJSON table: matched records get the selected columns spliced
# in (the rest of each record byte for byte), unmatched ones get them as null; a missing
# or null key matches nothing. Then every column but the key, prefixed; then --absent.
cp "$WEIR_FIXTURES/enrich-events.ndjson" events.ndjson
cp "$WEIR_FIXTURES/enrich-products.ndjson" products.ndjson
echo "--- select with a rename and a nested column"
weir enrich events.ndjson --table products.ndjson --on product_id=id \
    --select name=product_name,price,stock.warehouse --dlq dead.ndjson
echo "--- every column, prefixed"
weir enrich -q events.ndjson --table products.ndjson --on product_id=id --prefix p_
echo "--- absent"
weir enrich -q events.ndjson --table products.ndjson --on product_id=id --select name --absent
