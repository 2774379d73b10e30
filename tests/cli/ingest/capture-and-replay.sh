# --capture writes the stream as zstd frames that ingest and cat read back;
# --replay-speed paces by event time, --max-rate by count (checked loosely: no timing
# assertions, only that the records all arrive unchanged).
cp "$WEIR_FIXTURES/ingest-a.ndjson" "$WEIR_FIXTURES/ingest-b.ndjson" .
weir ingest --source-field '' --capture cap.frames ingest-a.ndjson ingest-b.ndjson > live.ndjson
weir cat cap.frames | cmp - live.ndjson && echo "capture: identical"
weir cat --stats cap.frames | jq -c '{records, barriers, sources}'
echo "+ replayed at 100x (6 s of events in about 0.06 s)"
weir ingest --replay-speed 100 --source-field '' cap.frames | cmp - live.ndjson && echo "replay: identical"
echo "+ at most 1000 records per second"
weir ingest --max-rate 1000 --source-field '' ingest-a.ndjson | wc -l
echo "+ a replayed capture keeps its records' source labels"
weir ingest --label A='ingest-a*' --label B='ingest-b*' --capture cap2.frames ingest-a.ndjson ingest-b.ndjson > live2.ndjson
weir ingest cap2.frames | cmp - live2.ndjson && echo "replayed with labels: identical"
weir ingest cap2.frames | jq -r ._source | sort | uniq -c | sed 's/^ *//'
