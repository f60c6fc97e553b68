# needs: pg
# The real exports of ../shared/data loaded in COPY's binary form and in
# its text form (SP_LOAD_TEXT=1) give the same raw.plays, row for row:
# real names, offsets and nulls through libcommon/copybin.c.  Plays that
# repeat a key are dropped first, so that both loads take the direct path
# (a repeated key sends an object to the merge path, which is text).
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories
need_pg
command -v sp-import >/dev/null || skip "sp-import is not built"
base=$PGDATABASE

sp-import --fetched-at 2026-11-01T00:00:00Z "$SP_DATA/listening-histories" >all.ndjson ||
    fail "sp-import failed"
jq -c 'select(.kind == "play")' all.ndjson |
    jq -sc 'unique_by([.data.ts, (.data.spotify_track_uri // "" | sub("^spotify:track:"; "")),
        (.data.master_metadata_track_name // ""), .data.ms_played]) | sort_by(.data.ts) | .[]' >plays.ndjson
n=$(wc -l <plays.ndjson)
[ "$n" -gt 1000 ] || fail "only $n plays in the exports"

cols="play_id, source, played_at, track_id, track_name, artist_name, album_name, ms_played, duration_ms, reason_start, reason_end, skipped, shuffle, context_uri, fetched_at, file, payload, object, line"
for form in binary text; do
	export PGDATABASE=${base}_$form SP_HOME=$PWD/home_$form
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	createdb "$PGDATABASE" || fail "createdb failed"
	sp-stage plays plays.ndjson >/dev/null || fail "sp-stage failed"
	if [ $form = text ]; then
		SP_LOAD_TEXT=1 expect_status 0 sp-load -v
	else
		expect_status 0 sp-load -v
	fi
	grep -q "merging" err && fail "$form: the object went to the merge path"
	psql -X -At -c "copy (select $cols from raw.plays order by play_id) to stdout" >rows_$form
	expect_eq "$form: plays" "$n" "$(wc -l <rows_$form)"
done
expect_file rows_text rows_binary
for form in binary text; do
	dropdb "${base}_$form" >/dev/null 2>&1
done
