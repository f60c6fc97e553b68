# needs: pg
# sp-load copies plays in COPY's binary form (libcommon/copybin.c), and
# that loads the very rows the text form loads, which PostgreSQL parses
# itself: the same object loaded both ways (SP_LOAD_TEXT=1) gives equal
# tables, over times with offsets, fractions to round and a leap second,
# numbers written 1e3 or 1000.0, escapes and non-ASCII text.  A value its
# column cannot hold (ms_played beyond a smallint column) rejects its
# record, with the column and (at most 64 bytes of) the value named, and
# the rest loads.  A column type without a binary
# form makes sp-load fall back to the text form.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
base=$PGDATABASE

mkdir -p obj
{
	export_play 7ouMYWpwJ422jRcDASZB7P 2025-03-01T10:00:00Z 200000
	export_play "" 2025-03-01T11:00:00+05:30 1000
	export_play 3ouMYWpwJ422jRcDASZB7P 2016-12-31T23:59:60Z 5
	api_play 4uLU6hMCjMI75M1A2tKUQC 2025-03-01T12:00:00.0000005Z
	api_play 5uLU6hMCjMI75M1A2tKUQC 2025-03-01T12:10:00.0000015Z
	api_play 6uLU6hMCjMI75M1A2tKUQC 2025-03-01T12:20:00.123456789-01:00
	printf '%s\n' '{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00.5Z","file":"Streaming_History_Audio_2026.json","data":{"ts":"2025-03-02T10:00:00Z","ms_played":1e3,"spotify_track_uri":"spotify:track:8ouMYWpwJ422jRcDASZB7P","master_metadata_track_name":"Tab\there \"q\" \\ \u00e9t\u00e9 \ud83c\udfb5","master_metadata_album_artist_name":"Sigur R\u00f3s","master_metadata_album_album_name":"( )","reason_start":"fwdbtn","reason_end":"endplay","skipped":true,"shuffle":true,"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"IS"}}'
	printf '%s\n' '{"kind":"play","source":"export","fetched_at":"2026-11-01T00:00:00Z","file":"Streaming_History_Audio_2026.json","data":{"ts":"2025-03-02T11:00:00Z","ms_played":2000.0,"spotify_track_uri":"spotify:track:9ouMYWpwJ422jRcDASZB7P","master_metadata_track_name":"Line\nbreak","master_metadata_album_artist_name":null,"master_metadata_album_album_name":null,"reason_start":null,"reason_end":null,"skipped":null,"shuffle":false,"offline":false,"incognito_mode":false,"platform":"linux","conn_country":"DE"}}'
} >plays.ndjson

cols="source, played_at, track_id, track_name, artist_name, album_name, ms_played, duration_ms, reason_start, reason_end, skipped, shuffle, context_uri, fetched_at, file, payload, object, line, dup_of is null"
for form in binary text; do
	export PGDATABASE=${base}_$form SP_HOME=$PWD/home_$form
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	createdb "$PGDATABASE" || fail "createdb failed"
	mkdir -p "$SP_HOME"
	expect_status 0 sp-stage plays plays.ndjson
	if [ $form = text ]; then
		SP_LOAD_TEXT=1 expect_status 0 sp-load
	else
		expect_status 0 sp-load
	fi
	# COPY's text: a newline in a value stays on its line.
	psql -X -At -c "copy (select $cols from raw.plays order by line) to stdout" >rows_$form
	expect_eq "$form: plays" 8 "$(wc -l <rows_$form)"
done
expect_file rows_text rows_binary
# PostgreSQL's own reading of the times, for the eye: the rounding and the leap second.
expect_eq "times" "2016-12-31 23:59:60+00 -> 2017-01-01 00:00:00+00
2025-03-01 12:00:00.0000005+00 -> 2025-03-01 12:00:00+00
2025-03-01 12:10:00.0000015+00 -> 2025-03-01 12:10:00.000002+00" \
    "$(PGDATABASE=${base}_binary psql -X -q -At -c "set timezone = 'UTC'; select x || ' -> ' || p.played_at from raw.plays p join (values ('2016-12-31 23:59:60+00', 3), ('2025-03-01 12:00:00.0000005+00', 4), ('2025-03-01 12:10:00.0000015+00', 5)) v(x, l) on v.l = p.line order by line")"

# A value its column cannot hold (the schema allows it; here the column
# is narrowed to smallint): the record is rejected, not the object.
export PGDATABASE=${base}_binary SP_HOME=$PWD/home_binary
psql -X -q -c "alter table raw.plays alter column ms_played type smallint using 0" || fail "alter failed"
export_play AouMYWpwJ422jRcDASZB7P 2025-04-01T10:00:00Z 40000 >big.ndjson
export_play BouMYWpwJ422jRcDASZB7P 2025-04-01T11:00:00Z 1000 >>big.ndjson
expect_status 0 sp-stage plays big.ndjson
expect_status 1 sp-load
expect_grep "1 record rejected; see raw.rejects" err
expect_eq "rejects" "1|column ms_played: '40000' is not a valid smallint" \
    "$(psql -X -At -c "select line, reason from raw.rejects")"
expect_eq "the rest" "BouMYWpwJ422jRcDASZB7P|1000" \
    "$(psql -X -At -c "select track_id, ms_played from raw.plays where played_at >= '2025-04-01'")"

# The value in the reason is cut at 64 bytes, between UTF-8 characters.
psql -X -q -c "alter table raw.plays alter column track_name type integer using null" || fail "alter failed"
long=$(printf 'é%.0s' $(seq 40))
export_play DouMYWpwJ422jRcDASZB7P 2025-04-02T10:00:00Z 1000 | sed "s/\"Track DouMYWpwJ422jRcDASZB7P\"/\"$long\"/" >long.ndjson
expect_status 0 sp-stage plays long.ndjson
expect_status 1 sp-load
expect_eq "cut reason" "column track_name: '$(printf 'é%.0s' $(seq 32))...' is not a valid integer" \
    "$(psql -X -At -c "select reason from raw.rejects where reason like 'column track_name%'")"
psql -X -q -c "alter table raw.plays alter column track_name type text" || fail "alter back failed"

# A column type with no binary form here: the text form, and the rows load.
psql -X -q -c "alter table raw.plays alter column ms_played type numeric" || fail "alter failed"
export_play CouMYWpwJ422jRcDASZB7P 2025-05-01T10:00:00Z 1234 >num.ndjson
expect_status 0 sp-stage plays num.ndjson
expect_status 0 sp-load
expect_eq "numeric ms_played" "1234" \
    "$(psql -X -At -c "select ms_played from raw.plays where track_id = 'CouMYWpwJ422jRcDASZB7P'")"
for form in binary text; do
	dropdb "${base}_$form" >/dev/null 2>&1
done
