#!/usr/bin/env bash
# needs: pg
# Plays count by name until the API describes them: an artist known only
# by an export's name is one artist whatever its case; once the API names
# it (a fetched track of that artist), the name-only plays and the id's
# plays are one artist, counted once each.  A local file (extended
# history, no URI, names set) counts by name.  Account-data plays (names
# only) resolve to the track id of the extended history's plays of the
# same track and artist names, case-insensitively, and reach the features;
# the others stay pending and still count by name.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db
# x_play SOURCE-KIND TIME TRACK_ID TRACK ARTIST [ALBUM]: an extended ('ext')
# or account-data ('acct') export row as sp-load writes it.
sql "create function x_play(kind text, at timestamptz, id text, track text, artist text,
        album text default null, ms integer default 200000) returns void
     language sql as \$\$
        insert into raw.plays (source, played_at, track_id, track_name, artist_name, album_name,
            ms_played, reason_start, reason_end, skipped, payload, object, line)
        values ('export', at, id, track, artist, album, ms,
            case when kind = 'ext' then 'clickrow' end, case when kind = 'ext' then 'trackdone' end,
            case when kind = 'ext' then false end, '{}', 'fixture', 0)
     \$\$;"

# Before the API knows anything: 'Nova' (3 spellings) is one artist; the
# local file counts; the account-data play of 'song a' resolves to T1.
sql "select x_play('ext',  '2026-05-01 10:00+00', 'T1', 'Song A', 'Nova', 'First');
     select x_play('ext',  '2026-05-01 11:00+00', 'T1', 'Song A', 'Nova', 'First');
     select x_play('ext',  '2026-05-01 12:00+00', null, 'Demo', 'NOVA', 'Tapes');   -- local file
     select x_play('acct', '2026-05-01 13:00+00', null, 'song a', 'nova');          -- resolves to T1
     select x_play('acct', '2026-05-01 14:00+00', null, 'Other', 'nOvA');           -- pending
     select x_play('acct', '2026-05-01 15:00+00', null, 'Solo', 'Quiet');           -- pending"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select artist_id, artist_name, listen_count_lifetime, listen_share_lifetime
          from analytics.int_spotify__artist_listens order by 1" \
"name:nova|Nova|5|0.833333
name:quiet|Quiet|1|0.166667"
expect_q "select replace(track_key, chr(31), '|'), track_id, track_name, artist_name, listen_count_lifetime
          from analytics.int_spotify__track_listens order by 5 desc, 1" \
"T1|T1|Song A|Nova|3
name:nova|demo||Demo|NOVA|1
name:nova|other||Other|nOvA|1
name:quiet|solo||Solo|Quiet|1"
expect_q "select track_id, resolution, count(*) from analytics.int_spotify__plays group by 1, 2 order by 1, 2" \
"T1|history|1
T1|uri|2
|none|1
|pending|2"
expect_q "select track_name, artist_name, plays, track_id, method, status
          from analytics.int_spotify__resolutions order by 1" \
"Other|nOvA|1|||pending
Solo|Quiet|1|||pending
song a|nova|1|T1|history|resolved"
expect_q "select replace(album_id, chr(31), '|'), album_name, listen_count_lifetime from analytics.int_spotify__album_listens order by 1" \
"name:nova|first|First|2
name:nova|tapes|Tapes|1"

# The API describes T1 (artist id 'n1', named 'Nova'): the name-only plays
# of Nova join n1's; nothing is counted twice.  T1's plays, the resolved
# one too, reach the features.
sql "select t_track('T1', '{n1}', 'al1', '2020', 200000);
     update raw.tracks set payload = jsonb_set(payload, '{artists,0,name}', '\"Nova\"') where track_id = 'T1';"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select artist_id, artist_name, listen_count_lifetime from analytics.int_spotify__artist_listens order by 1" \
"n1|Nova|5
name:quiet|Quiet|1"
expect_q "select sum(listen_count_lifetime) from analytics.int_spotify__artist_listens" "6"
expect_q "select track_id, play_count_lifetime, artist_listen_count_lifetime
          from analytics.mart_spotify__merged_tracks" "T1|3|5"
expect_status 0 sp-model test
exit 0
