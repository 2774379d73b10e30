# reset removes a stage that left the pipeline, so the others commit without it.
mkdir -p ck/ingest ck/gone
printf '{"stage":"ingest","joined_after":0}\n' >ck/ingest/stage.json
printf '{"stage":"gone","joined_after":0}\n' >ck/gone/stage.json
cp "$WEIR_FIXTURES/checkpoint-dedup-epoch-1.snap" ck/ingest/epoch-00000000000000000001.snap
cp "$WEIR_FIXTURES/checkpoint-dedup-epoch-1.snap" ck/ingest/epoch-00000000000000000002.snap
echo "+ weir-checkpoint ls ck" >&2
weir-checkpoint ls ck
echo "+ weir-checkpoint reset ck gone" >&2
weir-checkpoint reset ck gone
echo "+ weir-checkpoint ls ck" >&2
weir-checkpoint ls ck
echo "+ weir-checkpoint reset ck gone" >&2
weir-checkpoint reset ck gone
