# --keep-open: a run that ends with windows still open keeps them in the checkpoint,
# and the next run (same --checkpoint, same -o and --late files, which it continues
# after their committed bytes) finishes them. The two runs over two halves of the input
# write what one run over the whole input writes.
weir gen -n 6000 --seed 3 --rate 10 --dup-ratio 0 --invalid-ratio 0 -o events.ndjson
head -n 3150 events.ndjson > part1.ndjson
tail -n +3151 events.ndjson > part2.ndjson
set -- --size 1m --watermark 3s --by event_type --agg count --agg sum:amount \
    --agg distinct:user_id --agg p50:amount
weir window -q events.ndjson "$@" -o whole.ndjson --late whole-late.ndjson

weir window -q part1.ndjson --checkpoint ck --keep-open "$@" -o out.ndjson --late late.ndjson
echo "run 1: $(wc -l < out.ndjson) records, $(wc -l < late.ndjson) late"
weir window -q part2.ndjson --checkpoint ck "$@" -o out.ndjson --late late.ndjson
echo "run 2: $(wc -l < out.ndjson) records in all, $(wc -l < late.ndjson) late"
cmp out.ndjson whole.ndjson && echo "output: the same as one run"
# Late records name their file and line, which differ: compare the records themselves.
sed 's/.*"record"://' late.ndjson > a.txt
sed 's/.*"record"://' whole-late.ndjson > b.txt
cmp a.txt b.txt && echo "late rows: the same as one run"

echo "--- kept windows are not restored under other aggregates"
rm -rf ck
weir window -q part1.ndjson --checkpoint ck --keep-open "$@" -o out.ndjson
weir window -q part2.ndjson --checkpoint ck --size 1m --by event_type --agg count \
    -o out.ndjson || echo "exit $?"

echo "--- without --keep-open, run 1 closes every window at its end"
rm -rf ck out.ndjson
weir window -q part1.ndjson --checkpoint ck "$@" -o out.ndjson --late late2.ndjson
weir window -q part2.ndjson --checkpoint ck "$@" -o out.ndjson --late late2.ndjson
# The minute cut in two is emitted once, at the end of run 1; run 2's rows for it are
# late ("after the end of an earlier run's input"), never a second record.
cmp -s out.ndjson whole.ndjson || echo "output differs from one run, as expected"
echo "$(wc -l < out.ndjson) records; windows emitted twice: $(sed 's/"count".*//' out.ndjson |
    sort | uniq -d | wc -l)"
echo "late in run 2: $(grep -c "earlier run" late2.ndjson)"
