# A cron-style rerun with a checkpoint reads only what arrived since the last run;
# files read to their end and unchanged are skipped.
head -n 2 "$WEIR_FIXTURES/ingest-a.ndjson" > a.ndjson
cp "$WEIR_FIXTURES/ingest-b.ndjson" b.ndjson
echo "+ run 1" >&2
weir ingest --checkpoint ck --source-field '' a.ndjson b.ndjson
tail -n 2 "$WEIR_FIXTURES/ingest-a.ndjson" >> a.ndjson
echo "+ run 2 (after appending to a.ndjson)" >&2
weir ingest --checkpoint ck --source-field '' a.ndjson b.ndjson
echo "+ run 3 (nothing new)" >&2
weir ingest --checkpoint ck --source-field '' a.ndjson b.ndjson
echo "+ a new file joins" >&2
printf '{"event_id":"n1","event_time":"2024-01-01T00:00:09Z"}\n' > c.ndjson
weir ingest --checkpoint ck --source-field '' a.ndjson b.ndjson c.ndjson
echo "+ a replaced file is read from its start" >&2
printf '{"event_id":"r1","event_time":"2024-01-01T00:01:00Z"}\n' > new.ndjson
mv new.ndjson b.ndjson
weir ingest --checkpoint ck --source-field '' a.ndjson b.ndjson c.ndjson
