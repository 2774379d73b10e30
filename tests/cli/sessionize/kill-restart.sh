# Exactly once through a crash: kill -9 of weir-sessionize mid-run, then run again
# until done; the sessions and the late file are byte-identical to an uninterrupted
# run's (open sessions are restored from the checkpoint, outputs cut back to their
# committed lengths). Frames with barriers every 700 records, and the NDJSON wire.
command -v pkill >/dev/null || exit 77
weir gen --count 30000 --seed 13 --invalid-ratio 0 --rate 50 --users 2000 > events.ndjson

run() {  # run WIRE [RATE]
    every=""
    [ "$1" = frames ] && every="--checkpoint-every 700"
    rate=""
    [ -n "${2:-}" ] && rate="--max-rate $2"
    weir ingest -q --checkpoint ck --wire "$1" $every $rate --source-field '' events.ndjson |
        weir sessionize -q --checkpoint ck -o out.ndjson --late late.ndjson \
            --key user_id --gap-by user_type power_user=20s,casual=1m --gap 40s \
            --watermark 30s --agg count --agg sum:amount --agg collect:event_type
}

# The late file names the source as the wire carries it ("<stdin>" on NDJSON, the file
# on frames), so each wire is compared with an uninterrupted run on the same wire.
for wire in frames ndjson; do
    rm -rf ck out.ndjson late.ndjson
    touch late.ndjson
    run $wire
    mv out.ndjson expected-out; mv late.ndjson expected-late
    echo "$wire, uninterrupted: $(wc -l < expected-out) sessions, $(wc -l < expected-late) late"
    rm -rf ck
    touch late.ndjson
    run $wire 30000 2>/dev/null &
    pid=$!
    sleep 0.4
    pkill -9 -P $pid -x weir-sessionize || true
    wait 2>/dev/null || true
    i=0
    until run $wire 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 5 ] || break
    done
    if cmp -s out.ndjson expected-out && cmp -s late.ndjson expected-late; then
        echo "$wire, kill weir-sessionize: identical"
    else
        echo "$wire, kill weir-sessionize: DIFFERENT"
    fi
done
