# Flag mistakes and unusable tables stop at start-up, naming the problem.
cp "$WEIR_FIXTURES/enrich-products.ndjson" products.ndjson
e() { weir enrich "$@" /dev/null || echo "exit $?"; }
e
e --table products.ndjson
e --on id
e --table products.ndjson --on a,b=id
e --table products.ndjson --on id --unmatched u.ndjson
e --table products.ndjson --on id --inner --absent
e --table missing.ndjson --on id
printf '{"id":1}\n{"id":2,\n' > broken.ndjson
e --table broken.ndjson --on id
e --table products.ndjson --on id --max-table-bytes 100
e --table products.ndjson --on id --refresh 0s
e --table products.ndjson --table products.ndjson --on id
