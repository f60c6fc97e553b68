#!/usr/bin/env bash
# needs: pg
# The catalogue from raw jsonb: tracks with no genres (an artist with an
# empty list, an artist never fetched), genres as the union of the
# artists', release dates of year, month and day precision (and invalid
# ones as null), the fetched album's date over the track's copy, and the
# fields Spotify removed (popularity, followers, label) null when absent.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_artist('rock1', '{rock,indie}'); select t_artist('pop1', '{pop,indie}');
     select t_artist('quiet', '{}');
     insert into raw.artists values ('old', '2024-01-01', 'artists',
        '{\"id\":\"old\",\"name\":\"Old\",\"genres\":[\"jazz\"],\"popularity\":50,\"followers\":{\"href\":null,\"total\":10}}', 'fixture');
     select t_track('Y', '{rock1,pop1}', 'aly', '1987', 200000);
     select t_track('M', '{quiet}', 'alm', '2019-03', 200000);
     select t_track('N', '{never}', 'aln', '2026-11-20', 200000, 'releases');
     select t_track('Z', '{old}', 'alz', '0000', 200000, 'search');
     select t_track('F', '{old}', 'alf', '2021-02-30', 200000);
     select t_track('G', '{old}', 'alg', '2001-05-07', 200000);
     insert into raw.albums values ('alg', '2026-01-01', 'albums',
        '{\"id\":\"alg\",\"name\":\"G\",\"album_type\":\"single\",\"release_date\":\"2001-05\",\"release_date_precision\":\"month\",\"genres\":[]}', 'fixture');
     insert into raw.tracks values ('P', '2020-01-01', 'saved',
        '{\"id\":\"P\",\"name\":\"Old style\",\"popularity\":61,\"duration_ms\":1000,\"explicit\":true,\"artists\":[{\"id\":\"old\",\"name\":\"Old\"}],\"album\":{\"id\":\"alp\",\"release_date\":\"1999-12-31\",\"release_date_precision\":\"day\"}}', 'fixture');
     insert into raw.tracks values ('Q', '2020-01-01', 'saved', '{\"id\":\"Q\"}', 'fixture');"

expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select track_id, genres, genre_count, release_date, release_date_precision, release_day,
                 album_type, coalesce(popularity::text, '-'), coalesce(candidate_source, '-'), found_via
          from analytics.mart_spotify__merged_tracks order by track_id" \
"F|{jazz}|1||||album|-|-|recently-played
G|{jazz}|1|2001-05|month|2001-05-01|single|-|-|recently-played
M|{}|0|2019-03|month|2019-03-01|album|-|-|recently-played
N|{}|0|2026-11-20|day|2026-11-20|album|-|releases|releases
P|{jazz}|1|1999-12-31|day|1999-12-31||61|-|saved
Q|{}|0|||||-|-|saved
Y|{indie,pop,rock}|3|1987|year|1987-01-01|album|-|-|recently-played
Z|{jazz}|1||||album|-|search|search"
expect_q "select artist_id, genres, coalesce(popularity::text, '-'), coalesce(followers::text, '-')
          from analytics.stg_spotify__artists order by 1" \
"old|{jazz}|50|10
pop1|{indie,pop}|-|-
quiet|{}|-|-
rock1|{indie,rock}|-|-"
expect_q "select album_id, release_date, given_precision, coalesce(label, '-'), coalesce(popularity::text, '-')
          from analytics.stg_spotify__albums" "alg|2001-05|month|-|-"
expect_q "select track_id, artist_ids, artist_names, duration_ms, explicit from analytics.stg_spotify__tracks
          where track_id in ('Q', 'Y', 'P') order by 1" \
"P|{old}|{Old}|1000|t
Q|{}|{}||
Y|{rock1,pop1}|{\"Artist rock1\",\"Artist pop1\"}|200000|f"
expect_status 0 sp-model test
