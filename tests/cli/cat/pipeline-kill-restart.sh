# The exactly-once promise for a two-stage pipeline sharing one checkpoint directory:
# kill -9 of either stage (or both) at some point, run again until done, and the output
# file is byte-identical to an uninterrupted run's. Frames with barriers every 700
# records, and the NDJSON wire (one epoch per run).
command -v pkill >/dev/null || exit 77
weir gen --count 30000 --seed 11 --invalid-ratio 0 > events.ndjson
weir ingest --source-field '' events.ndjson | weir cat > expected.ndjson

run() {  # run WIRE [RATE]: the pipeline, in the background when a rate is given
    every=""
    [ "$1" = frames ] && every="--checkpoint-every 700"
    rate=""
    [ -n "${2:-}" ] && rate="--max-rate $2"
    weir ingest -q --checkpoint ck --wire "$1" $every $rate --source-field '' events.ndjson |
        weir cat -q --checkpoint ck -o out.ndjson
}

for wire in frames ndjson; do
    for victim in weir-ingest weir-cat both; do
        rm -rf ck out.ndjson
        run $wire 30000 2>/dev/null &
        pid=$!
        sleep 0.4
        # Only this pipeline's processes (children of that subshell): other tests run
        # weir tools at the same time.
        case $victim in
        # (Under load a victim may not have started yet, or have ended: not an error.)
        both) pkill -9 -P $pid -x weir-ingest || true; pkill -9 -P $pid -x weir-cat || true ;;
        *) pkill -9 -P $pid -x $victim || true ;;
        esac
        wait 2>/dev/null || true
        # Whatever the kill left, runs until one completes.
        i=0
        until run $wire 2>/dev/null; do
            i=$((i + 1))
            [ $i -lt 5 ] || break
        done
        if cmp -s out.ndjson expected.ndjson; then
            echo "$wire, kill $victim: identical"
        else
            echo "$wire, kill $victim: DIFFERENT ($(wc -l < out.ndjson) lines)"
        fi
    done
done
