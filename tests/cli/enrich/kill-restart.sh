# Exactly once through a crash: kill -9 of weir-enrich mid-run, then run again until
# done; output and unmatched files are byte-identical to an uninterrupted run's.
command -v pkill >/dev/null || exit 77
. "$WEIR_TESTS/../crash.inc"
weir gen --count 30000 --seed 9 --invalid-ratio 0 > events.ndjson
i=0
while [ $i -lt 300 ]; do
    printf '{"user_id":"u-%06d","segment":"s%d"}\n' $i $((i % 7))
    i=$((i + 2))
done > users.ndjson

run() {  # run WIRE [RATE]
    every=""
    [ "$1" = frames ] && every="--checkpoint-every 700"
    rate=""
    [ -n "${2:-}" ] && rate="--max-rate $2"
    weir ingest -q --checkpoint ck --wire "$1" $every $rate --source-field '' events.ndjson |
        weir enrich -q --checkpoint ck -o out.ndjson --table users.ndjson --on user_id \
            --inner --unmatched unmatched.ndjson
}

rm -rf ck
run ndjson
mv out.ndjson expected-out.ndjson; mv unmatched.ndjson expected-unmatched.ndjson
echo "uninterrupted: $(wc -l < expected-out.ndjson) matched," \
    "$(wc -l < expected-unmatched.ndjson) unmatched"
for wire in frames ndjson; do
    rm -rf ck out.ndjson unmatched.ndjson
    crash_mid_run weir-enrich run $wire 30000
    run_until_done run $wire || true
    if same_as_expected out.ndjson unmatched.ndjson; then
        echo "$wire, kill weir-enrich: identical"
    else
        echo "$wire, kill weir-enrich: DIFFERENT"
    fi
done
