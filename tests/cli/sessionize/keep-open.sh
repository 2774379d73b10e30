# --keep-open: a cron-style job over hourly files keeps the sessions still open at the
# end of each run in the checkpoint and continues them in the next. Runs over three
# parts (the last without --keep-open, so it emits everything) equal one run over
# the whole stream. A checkpoint written with another --gap is refused.
weir gen -n 30000 --seed 9 --rate 5 --users 300 --invalid-ratio 0 -o events.ndjson
head -n 10000 events.ndjson > part1.ndjson
sed -n '10001,22000p' events.ndjson > part2.ndjson
tail -n +22001 events.ndjson > part3.ndjson
flags="--key user_id --gap 60s --watermark 1m --agg count --agg collect:event_type"
weir sessionize -q $flags -o whole.ndjson events.ndjson
echo "+ three runs with one checkpoint" >&2
weir sessionize -q $flags --checkpoint ck --keep-open -o out1.ndjson part1.ndjson
weir sessionize -q $flags --checkpoint ck --keep-open -o out2.ndjson part2.ndjson
weir sessionize -q $flags --checkpoint ck -o out3.ndjson part3.ndjson
cat out1.ndjson out2.ndjson out3.ndjson > split.ndjson
if cmp -s whole.ndjson split.ndjson; then
    echo "ok: three runs equal one ($(wc -l < whole.ndjson) sessions, $(wc -l < out3.ndjson) in the last run)"
else
    echo "FAIL: three runs differ from one"
fi
echo "+ weir sessionize --gap 2m --checkpoint ck (written with --gap 1m)" >&2
weir sessionize -q --key user_id --gap 2m --watermark 15m --agg count \
    --agg collect:event_type --checkpoint ck part3.ndjson >/dev/null || echo "exit $?" >&2
echo "+ weir sessionize --keep-open (no checkpoint)" >&2
weir sessionize --key user_id --gap 2m --keep-open part3.ndjson || echo "exit $?" >&2
