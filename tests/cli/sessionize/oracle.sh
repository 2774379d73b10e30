# weir-sessionize against an independent oracle: ~50k weir-gen events (duplicates and
# out of order rows included) in sessions per user_id with a 60 s gap, recomputed in
# awk by sorting each user's events by time and splitting where the next event comes
# more than the gap after the previous one. The watermark exceeds the stream's
# disorder (duplicates repeat events up to 10000 back, 500 s at --rate 20), so no row
# is late and arrival order must not matter.
weir gen -n 50000 --seed 3 --rate 20 --users 500 --invalid-ratio 0 \
    --start 2024-01-02T00:00:00Z -o events.ndjson
weir sessionize events.ndjson --key user_id --gap 60s --watermark 15m -o sessions.ndjson \
    2>summary.txt
grep -q 'late' summary.txt && echo "FAIL: late rows: $(cat summary.txt)"

# Milliseconds since 2024-01-01 of an RFC 3339 UTC time (all events are in January).
ms='function ms(t,    p) {
    split(t, p, /[-T:Z]/)
    return (((p[3] - 1) * 24 + p[4]) * 60 + p[5]) * 60000 + int(p[6] * 1000 + 0.5)
}'

# The oracle: "user start end events" per session, times in ms.
awk -F '"' "$ms"'
{ for (i = 2; i < NF; i++) {
      if ($i == "event_time") t = $(i + 2)
      else if ($i == "user_id") u = $(i + 2)
  }
  print u, ms(t) }' events.ndjson | sort -k1,1 -k2,2n |
    awk '
    function out() { if (n) print key, start, last + 60000, n }
    { if ($1 != key || $2 - last > 60000) { out(); key = $1; start = $2; n = 0 }
      last = $2; n++ }
    END { out() }' | sort > oracle.txt

# weir-sessionize output in the same shape.
awk -F '"' "$ms"'
{ for (i = 2; i < NF; i++) {
      if ($i == "user_id") u = $(i + 2)
      else if ($i == "start") s = $(i + 2)
      else if ($i == "end") e = $(i + 2)
      else if ($i == "events") { n = $(i + 1); gsub(/[:,]/, "", n) }
  }
  print u, ms(s), ms(e), n }' sessions.ndjson | sort > got.txt

want=$(wc -l < oracle.txt) have=$(wc -l < got.txt)
if [ "$want" -gt 5000 ] && cmp -s oracle.txt got.txt; then
    echo "ok: the same sessions (over 5000), bounds and counts"
else
    echo "FAIL: oracle $want sessions, weir-sessionize $have"; diff oracle.txt got.txt | head
fi

# Sessions come out in end order (the watermark only moves forward), and each lasts
# from start to end.
awk -F '"' "$ms"'
{ for (i = 2; i < NF; i++) {
      if ($i == "start") s = ms($(i + 2))
      else if ($i == "end") e = ms($(i + 2))
  }
  if (e < last || s > e) bad++; last = e }
END { print (bad ? "FAIL: session bounds or order" : "ok: sessions in end order") }' \
    sessions.ndjson
