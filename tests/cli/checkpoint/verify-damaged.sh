# One flipped byte in a snapshot: verify names the file and exits 75.
mkdir -p ck/dedup ck/ingest
printf '{"stage":"dedup","joined_after":0}\n' >ck/dedup/stage.json
printf '{"stage":"ingest","joined_after":0}\n' >ck/ingest/stage.json
cp "$WEIR_FIXTURES/checkpoint-dedup-epoch-1.snap" ck/dedup/epoch-00000000000000000001.snap
cp "$WEIR_FIXTURES/checkpoint-dedup-epoch-1.snap" ck/ingest/epoch-00000000000000000001.snap
printf 'X' | dd of=ck/dedup/epoch-00000000000000000001.snap bs=1 seek=60 conv=notrunc 2>/dev/null
echo "+ weir-checkpoint show ck dedup" >&2
weir-checkpoint show ck dedup || echo "exit $?" >&2
echo "+ weir-checkpoint verify ck" >&2
weir-checkpoint verify ck
