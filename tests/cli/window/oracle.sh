# weir-window against an independent oracle: ~50k weir-gen events (duplicates and out
# of order rows included) in one-minute windows by product_category, with count, sum,
# min, max and distinct, recomputed in awk from the raw lines (minute = the first 16
# characters of event_time). The watermark exceeds the stream's disorder (duplicates
# repeat events up to 10000 back, 500 s at --rate 20), so no row is late.
weir gen -n 50000 --seed 7 --rate 20 --invalid-ratio 0 -o events.ndjson
weir window events.ndjson --size 1m --watermark 15m --by product_category --agg count \
    --agg sum:amount --agg min:amount --agg max:amount --agg distinct:customer_id \
    -o windows.ndjson 2>summary.txt
grep -q 'late' summary.txt && echo "FAIL: late rows: $(cat summary.txt)"

# The oracle: one line per (minute, category): count sum min max distinct.
awk -F '"' '
{   # Split at quotes: a member name is followed by ":" then its string value, or by
    # ":NUMBER," for a number.
    for (i = 2; i < NF; i++) {
        if ($i == "event_time") t = $(i + 2)
        else if ($i == "product_category") cat = $(i + 2)
        else if ($i == "customer_id") c = $(i + 2)
        else if ($i == "amount") { a = $(i + 1); gsub(/[:,]/, "", a); a += 0 }
    }
    k = substr(t, 1, 16) " " cat
    if (!(k in n)) { n[k] = 0; sum[k] = 0; lo[k] = a; hi[k] = a; d[k] = 0 }
    n[k]++; sum[k] += a
    if (a < lo[k]) lo[k] = a
    if (a > hi[k]) hi[k] = a
    if (!((k, c) in seen)) { seen[k, c] = 1; d[k]++ }
}
END { for (k in n) printf "%s %d %.17g %.17g %.17g %d\n", k, n[k], sum[k], lo[k], hi[k], d[k] }
' events.ndjson | sort > oracle.txt

# weir-window output in the same shape, keyed by the window start minute.
awk '
function field(name,    m) {
    if (!match($0, "\"" name "\":(\"[^\"]*\"|[^,}]*)")) return ""
    m = substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
    gsub(/"/, "", m)
    return m
}
{
    printf "%s %s %d %.17g %.17g %.17g %d\n", substr(field("start"), 1, 16),
        field("product_category"), field("count"), field("sum_amount"),
        field("min_amount"), field("max_amount"), field("distinct_customer_id")
}' windows.ndjson | sort > got.txt

# Windows must end exactly one minute after they start, and come in end order.
awk '{ s = substr($0, index($0, "\"start\":\"") + 9, 16); e = substr($0, index($0, "\"end\":\"") + 7, 16)
       if (s >= e || (NR > 1 && e < last)) bad++; last = e }
     END { print (bad ? "FAIL: window bounds or order" : "ok: windows in end order") }' windows.ndjson

# Same groups; counts, min, max, distinct equal; sums equal to 1e-9 relative (float
# sums in another order may differ in the last bits).
awk '{ print $1 "|" $2, $3, $4, $5, $6, $7 }' oracle.txt | sort > a.txt
awk '{ print $1 "|" $2, $3, $4, $5, $6, $7 }' got.txt | sort > b.txt
join -j 1 a.txt b.txt > joined.txt
want=$(wc -l < oracle.txt) have=$(wc -l < got.txt) both=$(wc -l < joined.txt)
if [ "$want" -eq "$have" ] && [ "$want" -eq "$both" ] && [ "$want" -gt 400 ]; then
    echo "ok: same (minute, category) groups"
else
    echo "FAIL: oracle $want groups, weir-window $have, in both $both"
fi
awk '
function abs(x) { return x < 0 ? -x : x }
{
    if ($2 != $7) c++
    if (abs($3 - $8) > 1e-9 * (abs($3) + 1)) s++
    if ($4 != $9) lo++
    if ($5 != $10) hi++
    if ($6 != $11) d++
}
END {
    print (c ? "FAIL: " c " counts differ" : "ok: counts")
    print (s ? "FAIL: " s " sums differ" : "ok: sums")
    print (lo || hi ? "FAIL: " lo " min, " hi " max differ" : "ok: min and max")
    print (d ? "FAIL: " d " distinct counts differ" : "ok: distinct")
}' joined.txt
