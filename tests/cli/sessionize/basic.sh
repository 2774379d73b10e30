# Sessions per user with a 10-minute gap and a 15-minute watermark over a small
# hand-written stream: an event exactly the gap after the last one joins, an out of
# order event moves a start back, a late event bridges two open sessions, an event
# behind the watermark still joins the open session it reaches, one that reaches no
# open session goes to --late, and records without a key, a time or a numeric amount
# go to the dead-letter file. Output: by session end, then start, then key; collect
# in event-time order.
cat > events.ndjson <<'END'
{"event_time":"2024-03-01T12:00:00Z","user_id":"u1","event_type":"view","amount":0}
{"event_time":"2024-03-01T12:10:00Z","user_id":"u1","event_type":"cart","amount":0}
{"event_time":"2024-03-01T12:05:00Z","user_id":"u2","event_type":"view","amount":0}
{"event_time":"2024-03-01T12:02:30Z","user_id":"u2","event_type":"search","amount":0}
{"event_time":"2024-03-01T12:25:00Z","user_id":"u1","event_type":"view","amount":0}
{"event_time":"2024-03-01T12:20:00Z","user_id":"u1","event_type":"buy","amount":19.5}
{"event_time":"2024-03-01T12:50:00Z","user_id":"u3","event_type":"view","amount":0}
{"event_time":"2024-03-01T12:10:00Z","user_id":"u2","event_type":"view","amount":0}
{"event_time":"2024-03-01T12:24:59.5Z","user_id":"u1","event_type":"cart","amount":0}
{"event_time":"2024-03-01T12:51:00Z","user_id":"u3","event_type":"buy","amount":5}
{"event_time":"2024-03-01T12:51:30Z","event_type":"view","amount":0}
{"user_id":"u1","event_type":"view"}
{"event_time":"2024-03-01T12:52:00Z","user_id":"u3","event_type":"buy","amount":"n/a"}
END
weir sessionize events.ndjson --key user_id --gap 10m --watermark 15m \
    --agg sum:amount=revenue --agg collect:event_type=event_sequence \
    --agg approx_distinct:event_type=kinds --late late.ndjson --dlq dead.ndjson
echo "+ cat late.ndjson" >&2; cat late.ndjson >&2
echo "+ cut -c1-100 dead.ndjson" >&2; cut -c1-100 dead.ndjson >&2
echo "+ weir sessionize --key user_id --gap 10m --watermark 15m --missing-key null -q" >&2
weir sessionize -q events.ndjson --key user_id --gap 10m --watermark 15m --missing-key null \
    2>/dev/null
