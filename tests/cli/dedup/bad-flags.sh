# Flag mistakes are usage errors (exit 2) with one clear line each; --max-state is a
# clear error (exit 65), never an OS kill.
printf '{"id":"a","event_time":"2024-03-01T12:00:00Z"}\n' > in.ndjson
for flags in "--key id" "--key id --within 5m --global" "--key id --global --keep last" \
    "--key id --global --late late.ndjson" "--key a,,b --global" "--key id --within 5x" \
    "--key id --within 1m --keep middle" "--key id --global --max-state lots"; do
    echo "+ weir dedup $flags" >&2
    weir dedup $flags in.ndjson 2>&1 >/dev/null | head -1 >&2 || true
    weir dedup $flags in.ndjson >/dev/null 2>&1 || echo "exit $?" >&2
done
echo "+ weir gen | weir dedup --global --key event_id --max-state 64K" >&2
weir gen --count 20000 --seed 1 --invalid-ratio 0 |
    weir dedup -q --global --key event_id --max-state 64K >/dev/null || echo "exit $?" >&2
