# approx_distinct over 1M distinct values is within 2% of the truth (HyperLogLog,
# 0.81% standard error). The value is also the event time (seconds), so that the
# records are as short as possible: one window holds them all.
seq 1000000 | awk '{ print "{\"u\":" $1 "}" }' |
    weir window -q --time u --time-unit s --size 1000d --agg approx_distinct:u --agg count \
        > out.ndjson
awk -F '[:,}]' '{
    for (i = 1; i < NF; i++) {
        if ($i == "\"approx_distinct_u\"") est = $(i + 1)
        if ($i == "\"count\"") n = $(i + 1)
    }
}
END {
    err = (est - 1000000) / 1000000
    if (n != 1000000) print "FAIL: count " n
    else if (err > 0.02 || err < -0.02) print "FAIL: estimate " est " is off by " err * 100 "%"
    else print "pass: 1M distinct values estimated within 2%"
    if (NR != 1) print "FAIL: " NR " windows"
}' out.ndjson
