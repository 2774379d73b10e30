# CSV destinations: the columns named by --csv-fields, with a header; other
# destinations keep the records' exact bytes; frames files read back with weir cat.
cat > events.ndjson <<'JSON'
{"id":1,"user":{"name":"Ann, Jr."},"amount":2.5,"type":"a"}
{"id":2,"user":{"name":"Bob"},"type":"b"}
{"id":3,"user":{},"amount":10,"type":"a"}
JSON
weir fanout -q events.ndjson --to 'by-type/{type}.csv' --csv-fields id,user.name,amount \
    --to all.frames
for f in by-type/*.csv; do echo "--- $f"; cat $f; done
echo "--- all.frames"
weir cat all.frames
