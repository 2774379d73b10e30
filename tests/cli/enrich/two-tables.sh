# Two tables in one run, one of them CSV (quoted cells, a comma inside quotes), named
# with NAME=FILE and addressed with NAME:; and a composite key (region, sku).
cp "$WEIR_FIXTURES/enrich-events.ndjson" events.ndjson
cp "$WEIR_FIXTURES/enrich-products.ndjson" products.ndjson
cp "$WEIR_FIXTURES/enrich-customers.csv" customers.csv
cp "$WEIR_FIXTURES/enrich-regions.csv" regions.csv
weir enrich -q events.ndjson \
    --table c=customers.csv --table products.ndjson \
    --on c:customer_id=id --select c:tier,country=customer_country \
    --on products:product_id=id --select products:name=product
echo "--- composite key"
weir enrich -q events.ndjson --table regions.csv --on region,product_id=region,sku --select discount
echo "--- gzip and zstd tables"
gzip -c customers.csv > customers.csv.gz
zstd -q -c products.ndjson > products.ndjson.zst
weir enrich -q events.ndjson --table customers.csv.gz --on customer_id=id --select tier \
    --table products.ndjson.zst --on product_id=id --select name | head -n 2
