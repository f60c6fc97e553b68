# backtest: the live method on a tiny synthetic catalogue (tiny-songs.csv):
# each listener gets the features its own sp would have (its plays, the
# credited artists, its own counts of them; no popularity, audio or other
# listener's data), run through pipelines/run.mk with recommend.mk's
# settings, and every scored listener gets a list.
. "$SP_ROOT/tests/lib/lib.sh"

mkdir -p data/tidytuesday-spotify-songs
cp "$SP_ROOT/tests/backtest/tiny-songs.csv" data/tidytuesday-spotify-songs/spotify_songs.csv
SP_DATA=$PWD/data "$SP_ROOT/pipelines/backtest/run.sh" -c 2019-09-01 -m same-artist,live \
    -j 2 -o work >table 2>log || { cat log table >&2; fail "run.sh failed"; }
r=work/results.ndjson
expect_eq methods "same-artist live" "$(jq -r .name $r | paste -sd ' ')"
# p1 and p2 have 5 tracks before T and one in [T, T+30): scored; p3 not.
expect_eq users 2 "$(jq -r 'select(.name == "live") | .users' $r)"
expect_eq listeners "p1 p2" "$(ls work/2019-09-01/live | paste -sd ' ')"
expect_eq "listed users" "p1 p2" "$(jq -r .user work/2019-09-01/recs-live.ndjson | uniq | paste -sd ' ')"

# p1's features: its 5 tracks (heard) and the 4 candidates of the window.
f=work/2019-09-01/live/p1/features.ndjson
expect_eq rows "a1 a2 a3 b1 d1 n1 n2 n3 n4" "$(jq -r .track_id $f | paste -sd ' ')"
expect_eq heard "5" "$(jq -s 'map(select(.heard)) | length' $f)"
# Nothing a single listener's sp lacks.
expect_eq "no popularity or audio" "" \
    "$(jq -r 'keys[] | select(test("popularity|danceability|energy|tempo|playlist"))' $f | sort -u)"
# n4 "Duet (with Ann)" by Fay credits Ann, whom p1 played on a1, a2, a3
# and d1 "Song (feat. Ann)": 4 of p1's 5 plays; 3 since 2019-07-01 (the
# 3-month window before 2019-09-30).
expect_eq n4 '["Fay","Ann"] 4 3 4 0.8 releases' \
    "$(jq -r 'select(.track_id == "n4") | "\(.artist_ids | tojson) \(.artist_listen_count_lifetime) \(.artist_listen_count_3m) \(.artist_listen_count_1y) \(.artist_listen_share_lifetime) \(.candidate_source)"' $f)"
expect_eq n3 '0 search' "$(jq -r 'select(.track_id == "n3") | "\(.artist_listen_count_lifetime) \(.candidate_source)"' $f)"
# A play at the track's release date: the history weight falls with it.
expect_eq d1 '1 2019-08-20T00:00:00 1' \
    "$(jq -r 'select(.track_id == "d1") | "\(.play_count_lifetime) \(.last_played_at) \(.album_listen_count_lifetime)"' $f)"

# Release dates have the API's shape (b2's is a month), and the labels
# carry the album's name, for the rerank's catalogue tokens (--tokens).
expect_eq "b2 date" '2018-01 month' \
    "$(jq -r 'select(.track_id == "b2") | "\(.release_date) \(.release_date_precision)"' work/2019-09-01/live/p2/features.ndjson)"
expect_eq "a2 label" '"Day" "2019-07-01"' \
    "$(jq -r 'select(.track_id == "a2") | "\(.album_name | tojson) \(.release_date | tojson)"' work/2019-09-01/live/p1/labels.ndjson)"
expect_grep 'n1.*"album_name"' work/2019-09-01/credits.ndjson

# The settings are recommend.mk's: the rerank ran with its RERANK_FLAGS.
rf=$(sed -n 's/^RERANK_FLAGS[[:space:]]*=[[:space:]]*//p' "$SP_ROOT/pipelines/recommend.mk")
bw=$(sed -n 's/^BLEND_WEIGHT[[:space:]]*=[[:space:]]*//p' "$SP_ROOT/pipelines/recommend.mk")
expect_eq "rerank flags" "$rf --blend $bw" "$(cat work/2019-09-01/live/p1/.flags/rerank)"
expect_eq "window" "--days 30" "$(grep -o -- '--days 30' work/2019-09-01/live/p1/.flags/blend)"
# p1's known artist (Ann, credited on n1 and n4) comes first.
expect_eq "p1 top 2" "n1 n4" \
    "$(jq -r 'select(.user == "p1" and .rank <= 2) | .track_id' work/2019-09-01/recs-live.ndjson | sort | paste -sd ' ')"
# The exploit/discovery split: p1's truth (n1, n4) is by artists it plays.
expect_eq split "2 0" "$(jq -r 'select(.name == "live") | "\(.users_exploit) \(.users_discovery)"' $r)"
expect_grep '^| live | ' table
