# SIGHUP reloads the tables at once, without --refresh: the records after it get the
# new row, and none is lost.
cp "$WEIR_FIXTURES/enrich-products.ndjson" products.ndjson
mkfifo in
weir-enrich in --table products.ndjson --on product_id=id --select name -o out.ndjson &
pid=$!
exec 3>in
sent=0
send() { # one record, then wait until it is out
    sent=$((sent + 1))
    echo "{\"n\":$sent,\"product_id\":\"p-2\"}" >&3
    i=0
    until [ "$(wc -l < out.ndjson 2>/dev/null || echo 0)" -ge $sent ]; do
        i=$((i + 1)); [ $i -lt 500 ] || { echo "record $sent never came out"; break; }
        sleep 0.02
    done
}
last_name() { tail -n 1 out.ndjson | sed 's/.*"name":"\([^"]*\)".*/\1/'; }

send; echo "before: $(last_name)"
sed 's/Notebook/Notebook v2/' products.ndjson > products.tmp && mv products.tmp products.ndjson
send; echo "changed file, no signal yet: $(last_name)"
kill -HUP $pid
i=0
until [ "$(last_name)" = "Notebook v2" ]; do
    i=$((i + 1)); [ $i -lt 200 ] || { echo "SIGHUP never reloaded"; break; }
    send
done
echo "after SIGHUP: $(last_name)"
exec 3>&-
wait $pid
[ "$(wc -l < out.ndjson)" -eq $sent ] && echo "every record sent came out"
