#!/usr/bin/env bash
# needs: pg
# Albums count by name until the API describes them, as artists do: an
# album known only from an export's names (artist and album, any case) is
# one album; once the API describes it (a fetched track on it, or the
# album itself), the name-only plays and the id's plays are one album,
# counted once each, under the API's name.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db
# x_play TIME TRACK_ID TRACK ARTIST ALBUM: an extended-history export row
# as sp-load writes it (TRACK_ID null: a local file).
sql "create function x_play(at timestamptz, id text, track text, artist text, album text)
     returns void language sql as \$\$
        insert into raw.plays (source, played_at, track_id, track_name, artist_name, album_name,
            ms_played, reason_start, reason_end, skipped, payload, object, line)
        values ('export', at, id, track, artist, album, 200000, 'clickrow', 'trackdone', false,
            '{}', 'fixture', 0)
     \$\$;"
albums() {
	q "select replace(album_id, chr(31), '|'), album_name, listen_count_lifetime
	   from analytics.int_spotify__album_listens order by 1"
}

# Before the API knows anything: 'First' by Nova is one album in three
# spellings (two plays of T1, not fetched yet, and a local file).
sql "select x_play('2026-05-01 10:00+00', 'T1', 'Song A', 'Nova', 'First');
     select x_play('2026-05-01 11:00+00', 'T1', 'Song A', 'Nova', 'First');
     select x_play('2026-05-01 12:00+00', null, 'Demo', 'NOVA', 'FIRST');
     select x_play('2026-05-01 13:00+00', null, 'Intro', 'Quiet', 'Calm');
     select x_play('2026-05-01 14:00+00', null, 'Outro', 'Loud', 'Calm');"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_eq "before the API" "name:loud|calm|Calm|1
name:nova|first|First|3
name:quiet|calm|Calm|1" "$(albums)"

# The API describes T1, on album al1 'First' by n1 'Nova': T1's plays and
# the local file's are al1's, counted once each.
sql "select t_track('T1', '{n1}', 'al1', '2020', 200000);
     update raw.tracks set payload = jsonb_set(jsonb_set(payload, '{artists,0,name}', '\"Nova\"'),
         '{album,name}', '\"First\"') where track_id = 'T1';"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_eq "a fetched track's album" "al1|First|3
name:loud|calm|Calm|1
name:quiet|calm|Calm|1" "$(albums)"

# An album fetched alone (al2 'CALM' by q1 'Quiet'): Quiet's 'Calm' play
# is al2's, under the API's spelling; Loud's 'Calm' is another album.
sql "insert into raw.albums (album_id, fetched_at, source, payload, object)
     values ('al2', '2026-01-01', 'releases', '{\"id\": \"al2\", \"name\": \"CALM\", \"album_type\": \"album\",
         \"release_date\": \"2021\", \"artists\": [{\"id\": \"q1\", \"name\": \"Quiet\"}]}', 'fixture');"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_eq "a fetched album" "al1|First|3
al2|CALM|1
name:loud|calm|Calm|1" "$(albums)"
expect_q "select sum(listen_count_lifetime) from analytics.int_spotify__album_listens" "5"
expect_q "select album_key, album_name from analytics.int_spotify__plays where track_name = 'Intro'" "al2|CALM"
expect_status 0 sp-model test
exit 0
