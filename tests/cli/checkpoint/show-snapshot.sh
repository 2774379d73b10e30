# show prints a snapshot (here the format-1 fixture) as JSON; ls and verify agree.
mkdir -p ck/dedup
printf '{"stage":"dedup","joined_after":0}\n' >ck/dedup/stage.json
cp "$WEIR_FIXTURES/checkpoint-dedup-epoch-1.snap" ck/dedup/epoch-00000000000000000001.snap
echo "+ weir-checkpoint show ck dedup" >&2
weir-checkpoint show ck dedup
echo "+ weir-checkpoint ls ck" >&2
weir-checkpoint ls ck
echo "+ weir-checkpoint verify ck" >&2
weir-checkpoint verify ck
echo "+ weir-checkpoint show ck dedup --epoch 2" >&2
weir-checkpoint show ck dedup --epoch 2
