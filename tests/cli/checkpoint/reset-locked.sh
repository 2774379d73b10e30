# A stage held by a running process is listed with its pid and cannot be reset.
command -v flock >/dev/null || exit 77
mkdir -p ck/dedup
printf '{"stage":"dedup","joined_after":0}\n' >ck/dedup/stage.json
printf '4242\npgid 4242\nstart 0\n' >ck/dedup/lock
echo "+ flock ck/dedup/lock weir-checkpoint ls ck" >&2
flock ck/dedup/lock weir-checkpoint ls ck
echo "+ flock ck/dedup/lock weir-checkpoint reset ck dedup" >&2
flock ck/dedup/lock weir-checkpoint reset ck dedup
