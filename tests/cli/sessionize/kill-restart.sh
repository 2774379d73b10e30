# Exactly once through a crash: kill -9 of weir-sessionize mid-run, then run again
# until done; the sessions and the late file are byte-identical to an uninterrupted
# run's (open sessions are restored from the checkpoint, outputs cut back to their
# committed lengths). Frames with barriers every 700 records, and the NDJSON wire.
command -v pkill >/dev/null || exit 77
. "$WEIR_TESTS/../crash.inc"
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
    mv out.ndjson expected-out.ndjson; mv late.ndjson expected-late.ndjson
    echo "$wire, uninterrupted: $(wc -l < expected-out.ndjson) sessions," \
        "$(wc -l < expected-late.ndjson) late"
    rm -rf ck
    touch late.ndjson
    crash_mid_run weir-sessionize run $wire 30000
    run_until_done run $wire || true
    if same_as_expected out.ndjson late.ndjson; then
        echo "$wire, kill weir-sessionize: identical"
    else
        echo "$wire, kill weir-sessionize: DIFFERENT"
    fi
done
