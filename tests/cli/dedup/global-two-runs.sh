# Global mode remembers keys across runs through the checkpoint: a key seen in run 1 is
# a duplicate in run 2.
printf '{"id":"a"}\n{"id":"b"}\n{"id":"a"}\n' > run1.ndjson
printf '{"id":"c"}\n{"id":"b"}\n{"id":"d"}\n{"id":"c"}\n' > run2.ndjson
echo "+ weir dedup --global --key id --checkpoint ck run1.ndjson" >&2
weir dedup --global --key id --checkpoint ck -o out1.ndjson run1.ndjson
cat out1.ndjson
echo "+ weir dedup --global --key id --checkpoint ck run2.ndjson" >&2
weir dedup --global --key id --checkpoint ck -o out2.ndjson run2.ndjson
cat out2.ndjson
echo "+ weir checkpoint show ck dedup" >&2
weir checkpoint show ck dedup | grep -o '"keys":[0-9]*' >&2
echo "+ the same stage with --key user_id" >&2
weir dedup --global --key user_id --checkpoint ck run2.ndjson || echo "exit $?" >&2
