# The example of weir-sessionize(1), SESSIONS: five events of one user with a 10-minute
# gap; the fourth moves session A's start back, the fifth bridges A and B into one
# session of five events. Then --max-duration's example: a bot clicking every minute
# for a day, with --gap 30m --max-duration 4h, gives six sessions of 4 h less a minute.
cat > events.ndjson <<'END'
{"event_time":"2024-03-01T12:00:00Z","user_id":"u1","n":1}
{"event_time":"2024-03-01T12:10:00Z","user_id":"u1","n":2}
{"event_time":"2024-03-01T12:25:00Z","user_id":"u1","n":3}
{"event_time":"2024-03-01T11:55:00Z","user_id":"u1","n":4}
{"event_time":"2024-03-01T12:18:00Z","user_id":"u1","n":5}
END
weir sessionize -q events.ndjson --key user_id --gap 10m --watermark 1h --agg collect:n
echo "+ without event 5"
head -n 4 events.ndjson | weir sessionize -q --key user_id --gap 10m --watermark 1h \
    --agg collect:n
echo "+ a bot, every minute for a day, --gap 30m --max-duration 4h"
i=0
while [ $i -lt 1440 ]; do
    printf '{"event_time":%d,"user_id":"bot"}\n' $((1709251200 + i * 60))
    i=$((i + 1))
done | weir sessionize -q --key user_id --gap 30m --max-duration 4h
