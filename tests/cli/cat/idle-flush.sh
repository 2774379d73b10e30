# A tool flushes whenever its input has nothing ready: a record written to the pipe is
# out at once, long before the input ends.
mkfifo in
( printf '{"a":1}\n'; sleep 5; printf '{"a":2}\n' ) > in &
weir cat in > out.ndjson &
pid=$!
i=0
while [ ! -s out.ndjson ] && [ $i -lt 80 ]; do sleep 0.05; i=$((i + 1)); done
cat out.ndjson
wait $pid
