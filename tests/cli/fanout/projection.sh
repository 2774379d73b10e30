# --fields: a destination gets only the fields named, in that order, under their paths
# as written; missing fields are left out. Templates still see the whole record.
cat > events.ndjson <<'JSON'
{"id":1,"type":"a","device":{"os":"ios"},"amount":1.50,"x":null}
{"id":2,"type":"b","amount":3}
JSON
weir fanout -q events.ndjson --to - --fields x,device.os,id \
    --to 'by/{type}.ndjson' --fields id,amount --to all.ndjson
for f in by/a.ndjson by/b.ndjson all.ndjson; do echo "--- $f"; cat $f; done
echo "--- as defaults, for every destination"
weir fanout -q events.ndjson --fields id --to - --to one.ndjson
cat one.ndjson
weir fanout -q events.ndjson --to - --fields 'id,' || echo "exit $?"
