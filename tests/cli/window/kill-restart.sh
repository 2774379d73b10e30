# Exactly once through a crash: kill -9 of weir-window (or of the ingest feeding it)
# mid-run, then run again until done. Output, late and dead-letter files are
# byte-identical to an uninterrupted run's: each is cut back to its committed length and
# the open windows come back from the checkpoint. Frames with barriers every 700
# records, and the NDJSON wire.
command -v pkill >/dev/null || exit 77
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
    mv out.ndjson expected-out; mv late.ndjson expected-late; mv dead.ndjson expected-dead
    echo "$wire, uninterrupted: $(wc -l < expected-out) windows, $(wc -l < expected-late)" \
        "late, $(wc -l < expected-dead) dead letters"
    for victim in weir-window weir-ingest; do
        rm -rf ck out.ndjson late.ndjson dead.ndjson
        run $wire 20000 2>/dev/null &
        pid=$!
        sleep 0.4
        pkill -9 -P $pid -x $victim || true
        wait 2>/dev/null || true
        i=0
        until run $wire 2>/dev/null; do
            i=$((i + 1))
            [ $i -lt 5 ] || break
        done
        if cmp -s out.ndjson expected-out && cmp -s late.ndjson expected-late &&
            cmp -s dead.ndjson expected-dead; then
            echo "$wire, kill $victim: identical"
        else
            echo "$wire, kill $victim: DIFFERENT ($(wc -l < out.ndjson) windows," \
                "$(wc -l < late.ndjson) late)"
        fi
    done
done
