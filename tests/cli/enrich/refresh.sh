# Tables refresh under a running stream: a slow stream (a FIFO fed one record at a
# time) runs while the table file is replaced; records after the change get the new
# row, none is lost, and a table that becomes invalid keeps the version in use.
cp "$WEIR_FIXTURES/enrich-products.ndjson" products.ndjson
mkfifo in
weir enrich --refresh 50ms in --table products.ndjson --on product_id=id --select name \
    -o out.ndjson 2>err.txt &
pid=$!
exec 3>in
sent=0
send() { # send N: one record, then wait until it is out
    sent=$((sent + 1))
    echo "{\"n\":$sent,\"product_id\":\"p-1\"}" >&3
    i=0
    until [ "$(wc -l < out.ndjson 2>/dev/null || echo 0)" -ge $sent ]; do
        i=$((i + 1)); [ $i -lt 500 ] || { echo "record $sent never came out"; break; }
        sleep 0.02
    done
}
last_name() { tail -n 1 out.ndjson | sed 's/.*"name":"\([^"]*\)".*/\1/'; }

send; echo "before: $(last_name)"
# Replace the table (a new file renamed over the old, as a deploy would).
sed 's/Desk lamp/Desk lamp v2/' products.ndjson > products.tmp && mv products.tmp products.ndjson
i=0
until [ "$(last_name)" = "Desk lamp v2" ]; do
    i=$((i + 1)); [ $i -lt 200 ] || { echo "the new table was never used"; break; }
    send
done
echo "after the change: $(last_name)"
send; echo "and then: $(last_name)"
# A broken table: the version in use stays.
printf '{"id":"p-1","name":"broken"\n' > products.tmp && mv products.tmp products.ndjson
i=0
until grep -q 'keeping' err.txt; do
    i=$((i + 1)); [ $i -lt 200 ] || { echo "the broken table was never noticed"; break; }
    send
done
send; echo "after a broken table: $(last_name)"
exec 3>&-
wait $pid
[ "$(wc -l < out.ndjson)" -eq $sent ] && echo "every record sent came out"
sed 's/.*"n":\([0-9]*\).*/\1/' out.ndjson | sort -n -c && echo "in order"
sed 's/^.*: products.ndjson/products.ndjson/; s/loaded at .*/loaded at TIME/' err.txt | sort -u
