# Exactly once through a crash: kill -9 of weir-validate (or of the ingest feeding it)
# mid-run, then run again until done. Output, quarantine and dead-letter files are
# byte-identical to an uninterrupted run's: each is cut back to its committed length
# on recovery. Frames with barriers every 700 records, and the NDJSON wire.
command -v pkill >/dev/null || exit 77
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
mv out.ndjson expected-out; mv q.ndjson expected-q
echo "uninterrupted: $(wc -l < expected-out) valid, $(wc -l < expected-q) quarantined"
for wire in frames ndjson; do
    for victim in weir-validate weir-ingest; do
        rm -rf ck out.ndjson q.ndjson d.ndjson
        run $wire 30000 2>/dev/null &
        pid=$!
        sleep 0.4
        pkill -9 -P $pid -x $victim || true
        wait 2>/dev/null || true
        i=0
        until run $wire 2>/dev/null; do
            i=$((i + 1))
            [ $i -lt 5 ] || break
        done
        if cmp -s out.ndjson expected-out && cmp -s q.ndjson expected-q; then
            echo "$wire, kill $victim: identical"
        else
            echo "$wire, kill $victim: DIFFERENT ($(wc -l < out.ndjson) + $(wc -l < q.ndjson) lines)"
        fi
    done
done
