# Command destinations: records go to `sh -c COMMAND` as NDJSON (exact bytes); the exit
# status is checked at the end; a command that fails or stops reading mid-stream is an
# error (exit 74).
cat > events.ndjson <<'JSON'
{"id":1,"type":"a"}
{"id":2,"type":"b"}
{"id":3,"type":"a"}
JSON
weir fanout -q events.ndjson --to '|wc -l > count.txt' --route 'type == "a"=>|sort -r > a.txt'
cat count.txt a.txt
echo "--- a command that no record reaches still runs"
weir fanout -q events.ndjson --route 'false=>|echo ran' --else all.ndjson
echo "--- a command that fails"
weir fanout -q events.ndjson --to '|cat >/dev/null; exit 3' --to all.ndjson || echo "exit $?"
echo "--- a command that stops reading mid-stream"
weir gen --count 20000 --seed 1 | weir fanout -q --to '|head -c 100 >/dev/null' ||
    echo "exit $?"
