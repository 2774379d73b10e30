# Flag mistakes are usage errors (exit 2) that name the flag.
echo '{"event_time":"2024-03-01T12:00:00Z","u":1}' > in.ndjson
try() {
    echo "+ weir sessionize $*" >&2
    weir sessionize "$@" in.ndjson || echo "exit $?" >&2
}
try --key u
try --key u --gap 0s
try --key u --gap 5x
try --key u --gap-by tier power=5m
try --key u --gap 1m --gap-by tier power
try --key u --gap 1m --gap-by tier power=5m --gap-expr '2m'
try --key u --gap-expr 'idle +'
try --key u --gap 1m --max-duration 0s
try --key u --gap 1m --agg count=events
try --key session --gap 1m
try --key u,u --gap 1m
try --key u --gap 1m --watermark -1m
try --key u --gap 1m --missing-key skip
