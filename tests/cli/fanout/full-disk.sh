# A full disk: the write error ends weir-fanout with a clear error (exit 74) naming the
# file, and the committed output stays intact: once there is room again, a rerun
# finishes every file byte-identical to an uninterrupted run. Needs root to mount a
# small tmpfs (the checkpoint directory is elsewhere); skipped otherwise. The NDJSON
# wire (one epoch) keeps the failing run's commits deterministic.
[ "$(id -u)" = 0 ] || { echo "skipped: needs root to mount a tmpfs" >&2; exit 77; }
command -v mount >/dev/null || exit 77
mkdir mnt
mount -t tmpfs -o size=400k tmpfs mnt 2>/dev/null || exit 77
trap 'umount mnt 2>/dev/null || true' EXIT
weir gen --count 4000 --seed 3 --invalid-ratio 0 > events.ndjson
run() {  # run DIR
    weir ingest -q --checkpoint "ck-$1" --wire ndjson --source-field '' events.ndjson |
        weir fanout -q --checkpoint "ck-$1" --to "$1/out/{event_type}.ndjson" \
            --rotate-size 100K
}
mkdir ref
run ref
status=0
run mnt 2> err || status=$?
echo "full disk: exit $status"
sed 's/cannot write .*: No space/cannot write FILE: No space/' err
mount -o remount,size=8m mnt
run mnt
(cd ref/out && find . -type f | sort | xargs md5sum) > want
(cd mnt/out && find . -type f | sort | xargs md5sum) > got
cmp -s want got && echo "after a rerun with room: identical ($(wc -l < got) files)"
