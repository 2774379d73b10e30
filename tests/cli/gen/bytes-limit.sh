# --bytes writes whole lines, at most SIZE bytes, and the same lines as --count.
weir-gen --bytes 64K -o big.ndjson
wc -c <big.ndjson | awk '{ print ($1 <= 65536 && $1 > 65536 - 400) ? "size ok" : "size " $1 }'
tail -c 1 big.ndjson | od -An -c
lines=$(wc -l <big.ndjson)
weir-gen --count "$lines" | cmp - big.ndjson && echo "same as --count $lines"
