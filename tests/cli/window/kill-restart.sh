# Exactly once through a crash: kill -9 of weir-window (or of the ingest feeding it)
# mid-run, then run again until done. Output, late and dead-letter files are
# byte-identical to an uninterrupted run's: each is cut back to its committed length and
# the open windows come back from the checkpoint. Frames with barriers every 700
# records, and the NDJSON wire.
command -v pkill >/dev/null || exit 77
. "$WEIR_TESTS/../crash.inc"
weir gen --count 20000 --seed 9 --rate 50 > events.ndjson

run() {  # run WIRE [RATE]
    every=""
    [ "$1" = frames ] && every="--checkpoint-every 700"
    rate=""
    [ -n "${2:-}" ] && rate="--max-rate $2"
    weir ingest -q --checkpoint ck --wire "$1" $every $rate --source-field '' events.ndjson |
        weir window -q --checkpoint ck -o out.ndjson --late late.ndjson --dlq dead.ndjson \
            --size 10s --watermark 5s --by product_category --agg count --agg sum:amount \
            --agg distinct:user_id --agg p90:amount --agg last:event_id
}

for wire in frames ndjson; do
    # Frames carry each record's source position into the late and dead-letter files;
    # the NDJSON wire does not: each wire has its own uninterrupted run.
    rm -rf ck
    run $wire 2>/dev/null
    for f in out late dead; do mv $f.ndjson expected-$f.ndjson; done
    echo "$wire, uninterrupted: $(wc -l < expected-out.ndjson) windows," \
        "$(wc -l < expected-late.ndjson) late, $(wc -l < expected-dead.ndjson) dead letters"
    for victim in weir-window weir-ingest; do
        rm -rf ck out.ndjson late.ndjson dead.ndjson
        crash_mid_run $victim run $wire 20000
        run_until_done run $wire || true
        if same_as_expected out.ndjson late.ndjson dead.ndjson; then
            echo "$wire, kill $victim: identical"
        else
            echo "$wire, kill $victim: DIFFERENT ($(wc -l < out.ndjson) windows," \
                "$(wc -l < late.ndjson) late)"
        fi
    done
done
