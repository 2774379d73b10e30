# Oracle: weir dedup against an independent computation in awk, on generated events with
# repeats and out-of-order times. The awk model states the rules directly: a record is
# late when its time is behind the watermark before it (max time so far - delay); else
# it is a duplicate when its key's first occurrence + within is still beyond that
# watermark (an expired key is forgotten); every other record passes as a first one.
weir gen --count 20000 --seed 5 --invalid-ratio 0 --dup-ratio 0.1 --ooo-ratio 0.1 \
    --max-delay 3s --users 500 > events.ndjson

# Event times of weir gen are 2023-12-31 or 2024-01-01, in milliseconds.
oracle() {  # oracle FIELD WITHIN_MS DELAY_MS
    awk -F'"' -v field="$1" -v within="$2" -v delay="$3" '
    function ms(s,  t) {
        t = ((substr(s, 12, 2) * 60 + substr(s, 15, 2)) * 60 + substr(s, 18, 2)) * 1000
        t += substr(s, 21, 3)
        return substr(s, 9, 2) == "31" ? t - 86400000 : t
    }
    {
        key = ""; tm = ""
        for (i = 2; i < NF; i += 2) {
            if ($i == field) key = $(i + 2)
            if ($i == "event_time") tm = $(i + 2)
        }
        t = ms(tm)
        if (seen_any && t < max - delay) { late++; next }
        if ((key in expires) && expires[key] > max - delay) dups++
        else { expires[key] = t + within; print }
        if (!seen_any || t > max) max = t
        seen_any = 1
    }
    END { printf "awk: %d late, %d duplicates\n", late, dups > "/dev/stderr" }'
}

for spec in "event_id 2000 1000" "user_id 500 0" "user_id 5000 2000"; do
    set -- $spec
    echo "+ --key $1 --within ${2}ms --watermark ${3}ms" >&2
    oracle "$1" "$2" "$3" < events.ndjson > expected.ndjson
    weir dedup -q --key "$1" --within "${2}ms" --watermark "${3}ms" events.ndjson > out.ndjson
    cmp out.ndjson expected.ndjson && echo "$1 $2 $3: identical ($(wc -l < out.ndjson) records)"
done

echo "+ --global --key user_id against awk '!seen[key]++'" >&2
awk -F'"' '!seen[$12]++' events.ndjson > expected.ndjson
weir dedup -q --global --key user_id events.ndjson > out.ndjson
cmp out.ndjson expected.ndjson && echo "global: identical ($(wc -l < out.ndjson) records)"
