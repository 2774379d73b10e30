# Exactly once through a crash: kill -9 of weir-dedup mid-run, then run again until
# done; the output, duplicates and late files are byte-identical to an uninterrupted
# run's, for bounded mode with --keep last (records held in state) and global mode.
command -v pkill >/dev/null || exit 77
. "$WEIR_TESTS/../crash.inc"
weir gen --count 30000 --seed 11 --invalid-ratio 0 --dup-ratio 0.2 --users 3000 > events.ndjson

run() {  # run WIRE MODE [RATE]
    every=""
    [ "$1" = frames ] && every="--checkpoint-every 700"
    rate=""
    [ -n "${3:-}" ] && rate="--max-rate $3"
    if [ "$2" = bounded ]; then
        flags="--key user_id --within 2s --watermark 1s --keep last --late late.ndjson"
    else
        flags="--key user_id --global"
    fi
    weir ingest -q --checkpoint ck --wire "$1" $every $rate --source-field '' events.ndjson |
        weir dedup -q --checkpoint ck -o out.ndjson --duplicates dups.ndjson $flags
}

# The side files name the source as the wire carries it ("<stdin>" on NDJSON, the file
# on frames), so each wire is compared with an uninterrupted run on the same wire.
for mode in bounded global; do
    for wire in frames ndjson; do
        rm -rf ck out.ndjson dups.ndjson late.ndjson
        touch late.ndjson
        run $wire $mode
        for f in out dups late; do mv $f.ndjson expected-$f.ndjson; done
        echo "$mode, $wire, uninterrupted: $(wc -l < expected-out.ndjson) out," \
            "$(wc -l < expected-dups.ndjson) duplicates, $(wc -l < expected-late.ndjson) late"
        rm -rf ck
        touch late.ndjson
        crash_mid_run weir-dedup run $wire $mode 30000
        run_until_done run $wire $mode || true
        if same_as_expected out.ndjson dups.ndjson late.ndjson; then
            echo "$mode, $wire, kill weir-dedup: identical"
        else
            echo "$mode, $wire, kill weir-dedup: DIFFERENT"
        fi
    done
done
