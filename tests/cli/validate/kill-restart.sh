# Exactly once through a crash: kill -9 of weir-validate (or of the ingest feeding it)
# mid-run, then run again until done. Output, quarantine and dead-letter files are
# byte-identical to an uninterrupted run's: each is cut back to its committed length
# on recovery. Frames with barriers every 700 records, and the NDJSON wire.
command -v pkill >/dev/null || exit 77
. "$WEIR_TESTS/../crash.inc"
weir gen --count 30000 --seed 5 > events.ndjson
rules="--require event_id,user_id --range amount:0..300 --rule 'r: event_type != \"purchase\" || exists(customer_id)'"

run() {  # run WIRE [RATE]
    every=""
    [ "$1" = frames ] && every="--checkpoint-every 700"
    rate=""
    [ -n "${2:-}" ] && rate="--max-rate $2"
    weir ingest -q --checkpoint ck --wire "$1" $every $rate --source-field '' events.ndjson |
        eval weir validate -q --checkpoint ck -o out.ndjson --quarantine q.ndjson \
            --dlq d.ndjson --now 2024-03-02T00:00:00Z "$rules"
}

rm -rf ck
run ndjson 2>/dev/null
mv out.ndjson expected-out.ndjson; mv q.ndjson expected-q.ndjson
echo "uninterrupted: $(wc -l < expected-out.ndjson) valid, $(wc -l < expected-q.ndjson) quarantined"
for wire in frames ndjson; do
    for victim in weir-validate weir-ingest; do
        rm -rf ck out.ndjson q.ndjson d.ndjson
        crash_mid_run $victim run $wire 30000
        run_until_done run $wire || true
        if same_as_expected out.ndjson q.ndjson; then
            echo "$wire, kill $victim: identical"
        else
            echo "$wire, kill $victim: DIFFERENT ($(wc -l < out.ndjson) + $(wc -l < q.ndjson) lines)"
        fi
    done
done
