# Routes, --else and stdout: each record goes to every destination that takes it, as its
# exact input bytes; a record no destination takes is counted as filtered, and the
# accounting line balances (k destinations: k records out, k - 1 generated).
cat > events.ndjson <<'JSON'
{"id":1,"type":"purchase","amount":250}
{"id":2,"type":"view", "amount":0}
{"id":3,"type":"purchase","amount":20}
{"id":4,"type":"click"}
{"id":5,"type":"view","amount":120.50}
not json
JSON
weir fanout events.ndjson --route 'type == "purchase"=>buy.ndjson' \
    --route 'amount > 100 => big.ndjson' --else rest.ndjson --to -
for f in buy big rest; do echo "--- $f.ndjson"; cat $f.ndjson; done
echo "--- only routes: unrouted records are filtered"
weir fanout events.ndjson --route 'type == "click"=>click.ndjson' --dlq dead.ndjson
cat click.ndjson
echo "--- --else with no route takes everything"
weir fanout -q events.ndjson --else - 
