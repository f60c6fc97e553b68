# needs: pg
# The real exports of ../shared/data through sp-import | sp-stage | sp-load:
# every distinct play is loaded once (its time, track and ms_played: 237
# plays share a time and track with another), podcasts apart; importing
# again adds nothing.
. "$SP_ROOT/tests/lib/lib.sh"
need_data listening-histories
need_pg
export SP_HOME=$PWD/home
command -v sp-import >/dev/null || skip "sp-import is not built"

sp-import --fetched-at 2026-11-01T00:00:00Z "$SP_DATA/listening-histories" >plays.ndjson ||
    fail "sp-import failed"
sp-stage plays plays.ndjson >name || fail "sp-stage failed"
expect_status 0 sp-load -v
q() { psql -X -At -F' ' -c "$1"; }
# A play is its time, track and ms_played: plays of a track ending in the
# same second (or minute, in the account-data history) are distinct plays.
want=$(jq -r 'select(.kind == "play") | [.data.ts, (.data.spotify_track_uri // "" | sub("^spotify:track:"; "")), (.data.master_metadata_track_name // ""), .data.ms_played] | @tsv' plays.ndjson | sort -u | wc -l)
expect_eq "distinct plays" "$want" "$(q "select count(*) from raw.plays where source = 'export'")"
want=$(jq -r 'select(.kind != "play") | [.kind, .data.ts, .data.spotify_episode_uri, .data.ms_played] | @tsv' plays.ndjson | sort -u | wc -l)
expect_eq "other plays" "$want" "$(q "select count(*) from raw.other_plays")"
expect_eq "rows" "$(grep -c . plays.ndjson)" "$(q "select rows from raw.load_ledger")"
# The summary accounts for every record: plays, repeats, and the rest.
nrec=$(grep -c . plays.ndjson)
nother=$(jq -r 'select(.kind != "play") | 1' plays.ndjson | wc -l)
nrep=$(sed -n 's/^sp-load: .*: \([0-9]*\) records\{0,1\} repeats\{0,1\} a play.*/\1/p' err)
nplays=$(sed -n 's/^sp-load: .*; plays: \([0-9]*\) new, 0 already loaded.*/\1/p' err)
[ -n "$nplays" ] || { cat err >&2; fail "no plays in the summary"; }
expect_eq "records in the summary" "$nrec" "$((nplays + ${nrep:-0} + nother))"
expect_grep "^sp-load: $(cat name): loaded $nrec records, 0 rejected; plays: $nplays new, 0 already loaded; $nother not music (episodes, audiobooks, videos)\$" err

# The same export imported again later: a new object, no new rows.
sp-import --fetched-at 2026-11-02T00:00:00Z "$SP_DATA/listening-histories" | sp-stage plays >name2
[ "$(cat name)" != "$(cat name2)" ] || fail "same object name"
before=$(q "select count(*) from raw.plays")
expect_status 0 sp-load
expect_eq "no new plays" "$before" "$(q "select count(*) from raw.plays")"
