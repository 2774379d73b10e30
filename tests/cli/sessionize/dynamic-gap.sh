# Dynamic gaps, as Spark's: each event covers [t, t + its own gap], so a power user's
# 5-minute gap splits sessions a casual user's 30-minute gap keeps together; with
# --gap-expr the gap is computed (null falls back to --gap; anything else that is not
# a positive duration is a dead letter). --max-duration cuts a session at its first
# event that far from its start.
cat > events.ndjson <<'END'
{"event_time":"2024-03-01T12:00:00Z","user_id":"p","user_type":"power_user","idle_min":1}
{"event_time":"2024-03-01T12:00:00Z","user_id":"c","user_type":"casual","idle_min":20}
{"event_time":"2024-03-01T12:04:00Z","user_id":"p","user_type":"power_user","idle_min":1}
{"event_time":"2024-03-01T12:12:00Z","user_id":"p","user_type":"power_user","idle_min":10}
{"event_time":"2024-03-01T12:25:00Z","user_id":"c","user_type":"casual","idle_min":20}
{"event_time":"2024-03-01T12:50:00Z","user_id":"c","user_type":"casual","idle_min":-5}
{"event_time":"2024-03-01T12:52:00Z","user_id":"c","user_type":"casual"}
{"event_time":"2024-03-01T13:10:00Z","user_id":"x","idle_min":2}
END
echo "+ --gap-by user_type power_user=5m,casual=30m --gap 10m" >&2
weir sessionize -q events.ndjson --key user_id --gap-by user_type power_user=5m,casual=30m \
    --gap 10m --agg collect:idle_min
echo "+ --gap-expr 'idle_min * 1m' --gap 15m" >&2
weir sessionize events.ndjson --key user_id --gap-expr 'idle_min * 1m' --gap 15m 2>&1
echo "+ --gap 30m --max-duration 45m" >&2
weir sessionize -q events.ndjson --key user_id --gap 30m --max-duration 45m
