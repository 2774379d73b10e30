# Exactly once through a crash: kill -9 of weir-fanout (or of the ingest feeding it)
# mid-run, then run again until done. Every destination (partitioned, rotated by size
# and by event time, frames, zstd) included, is byte-identical to an uninterrupted run's: current files are cut back to
# their committed lengths, files completed or made after the commit are taken back.
command -v pkill >/dev/null || exit 77
. "$WEIR_TESTS/../crash.inc"
crash_after=0.25
weir gen --count 5000 --seed 9 --invalid-ratio 0 > events.ndjson
run() {  # run [RATE]
    rate=""
    [ -n "${1:-}" ] && rate="--max-rate $1"
    weir ingest -q --checkpoint ck --wire frames --checkpoint-every 600 $rate \
        --source-field '' events.ndjson |
        weir fanout -q --checkpoint ck --max-open 4 \
            --to 'out/type={event_type}/part.ndjson' --rotate-size 48K \
            --route 'amount > 100=>big.ndjson' --else small.frames --to all.ndjson.zst \
            --to t/part.ndjson --rotate-every 700ms
}
snap() { find out t -type f | sort | xargs md5sum; md5sum big.ndjson small.frames all.ndjson.zst; }
rm -rf ck out t
run
snap > expected
echo "uninterrupted: $(find out -type f | wc -l) partition files, $(ls t | wc -l) by time, $(wc -l < big.ndjson) big"
weir cat all.ndjson.zst | cmp - events.ndjson && echo "all.ndjson.zst holds every record"
for victim in weir-fanout weir-ingest; do
    rm -rf ck out t big.ndjson small.frames all.ndjson.zst
    crash_mid_run $victim run 12000
    run_until_done run || true
    if snap | cmp -s - expected; then
        echo "kill $victim: identical"
    else
        echo "kill $victim: DIFFERENT"
        snap | diff - expected || true
    fi
done
