# The metrics file reports the state (keys, bytes), bounded mode's watermark and the
# dedup counts.
weir gen --count 5000 --seed 4 --invalid-ratio 0 --dup-ratio 0.1 > events.ndjson
echo "+ weir dedup --key event_id --within 2s --watermark 1s --metrics m.json" >&2
weir dedup -q --key event_id --within 2s --watermark 1s --metrics m.json events.ndjson >/dev/null
tail -1 m.json | grep -o '"watermark":"[^"]*"\|"state_keys":[0-9]*\|"dedup":{[^}]*}'
tail -1 m.json | grep -q '"state_bytes":[1-9]' && echo "state_bytes > 0"
