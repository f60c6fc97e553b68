# needs: pg
# Two plays of a track that end in the same second (a skip, then the
# replay) are two plays; so are two without a track id ending in the same
# minute (the account-data history), and two plays of an episode.  A
# record exported twice is one play (left out of the COPY when it follows
# closely; through the merge path when 5,000 plays apart), and loading the
# plays again, in another object, adds nothing.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
need_pg
export SP_HOME=$PWD/home

{
	export_play 7ouMYWpwJ422jRcDASZB7P 2023-08-13T14:44:26Z 180
	export_play 7ouMYWpwJ422jRcDASZB7P 2023-08-13T14:44:26Z 1906
	export_play 7ouMYWpwJ422jRcDASZB7P 2023-08-13T14:44:26Z 1906
	export_play "" 2019-09-27T09:45:00Z 171360
	export_play "" 2019-09-27T09:45:00Z 3723
	episode spotify:episode:5ouMYWpwJ422jRcDASZB7P 2023-08-13T15:00:00Z 1000
	episode spotify:episode:5ouMYWpwJ422jRcDASZB7P 2023-08-13T15:00:00Z 2000
} >a.ndjson
expect_status 0 sp-stage plays a.ndjson
expect_status 0 sp-load -v
# The repeat right after its first is left out of the COPY: no merge path.
expect_grep "1 record repeats a play just before it: loaded once" err
grep -q merging err && fail "the object went through the merge path"
expect_eq "plays" "180 1906 3723 171360" \
    "$(psql -X -At -c 'select ms_played from raw.plays order by ms_played' | paste -sd' ')"
expect_eq "episode plays" "1000 2000" \
    "$(psql -X -At -c 'select ms_played from raw.other_plays order by ms_played' | paste -sd' ')"
expect_eq "ledger rows" 7 "$(psql -X -At -c 'select rows from raw.load_ledger')"

# The same plays in another object (a later export): nothing new.
sed 's/"fetched_at":"2026-11-01T00:00:00Z"/"fetched_at":"2026-11-20T00:00:00Z"/' a.ndjson >b.ndjson
expect_status 0 sp-stage plays b.ndjson
expect_status 0 sp-load
expect_eq "objects" 2 "$(psql -X -At -c 'select count(*) from raw.load_ledger')"
expect_eq "plays again" "4 2" \
    "$(psql -X -At -F' ' -c 'select (select count(*) from raw.plays), (select count(*) from raw.other_plays)')"

# A repeat 5,000 plays after its first: beyond sp-load's window, the
# merge path finds it; every play once.
awk 'BEGIN {
	for (i = 0; i < 5000; i++)
		printf "{\"kind\":\"play\",\"source\":\"export\",\"fetched_at\":\"2026-11-21T00:00:00Z\",\"file\":\"f.json\",\"data\":{\"ts\":\"%s\",\"ms_played\":1000,\"spotify_track_uri\":\"spotify:track:7ouMYWpwJ422jRcDASZB7P\",\"master_metadata_track_name\":\"T\",\"master_metadata_album_artist_name\":\"A\",\"master_metadata_album_album_name\":\"B\",\"reason_start\":\"trackdone\",\"reason_end\":\"trackdone\",\"skipped\":false,\"shuffle\":false,\"offline\":false,\"incognito_mode\":false,\"platform\":\"linux\",\"conn_country\":\"DE\"}}\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1600000000 + i * 60, 1)
}' >far.ndjson
head -n 1 far.ndjson >>far.ndjson
expect_status 0 sp-stage plays far.ndjson
expect_status 0 sp-load -v
expect_grep "merging" err
expect_eq "far plays" 5000 "$(psql -X -At -c "select count(*) from raw.plays where file = 'f.json'")"
