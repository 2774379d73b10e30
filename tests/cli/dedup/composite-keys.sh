# Composite and nested keys: 1 and 1.0 are one key, "1" another; --key '*' compares the
# whole record's bytes.
cat > in.ndjson <<'END'
{"u":1,"d":{"os":"ios"},"n":1}
{"u":1,"d":{"os":"web"},"n":2}
{"d":{"os":"ios"},"u":1.0,"n":3}
{"u":"1","d":{"os":"ios"},"n":4}
{"u":1,"d":{"os":"ios"},"n":1}
END
echo "+ weir dedup --global --key u,d.os" >&2
weir dedup --global --key u,d.os --duplicates dups.ndjson in.ndjson
echo "+ cat dups.ndjson" >&2; cat dups.ndjson >&2
echo "+ weir dedup --global --key '*'" >&2
weir dedup --global --key '*' in.ndjson
