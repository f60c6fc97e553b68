#!/usr/bin/env bash
# needs: pg
# One recording under several track ids (a single, then its album's
# version; a re-release): a track whose ISRC (external_ids.isrc, compared
# trimmed and upper-cased) is that of a track played is recording_heard,
# though not heard, and so is one of the same first artist, name (trimmed,
# any case) and duration within 2 s (an album's tracks come without their
# ISRC); tracks without an ISRC never match on it; a play after as_of
# does not count.  Then pipelines/history.jq: every heard track is
# history whatever its release date (a release of the week played
# already), and pipelines/exclude.jq: a recording heard under another id
# is an exclusion, not history.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_artist('a1', '{}');
     select t_track('S', '{a1}', 'single', '2026-05-01', 200000);
     select t_track('A', '{a1}', 'album', '2026-05-29', 200000);
     select t_track('B', '{a1}', 'album', '2026-05-29', 200000);
     select t_track('N', '{a1}', 'other', '2026-05-29', 200000);
     select t_track('M', '{a1}', 'other', '2026-05-29', 200000);
     select t_track('L', '{a1}', 'late', '2026-05-29', 200000);
     select t_track('K', '{a1}', 'late', '2026-05-30', 200000);
     select t_artist('a2', '{}');
     select t_track('V', '{a1,a2}', 'album', '2026-05-29', 201500);
     select t_track('W', '{a1}', 'album', '2026-05-29', 202500);
     select t_track('X', '{a2,a1}', 'album', '2026-05-29', 200000);
     update raw.tracks set payload = payload || jsonb_build_object('name', ' TRACK s ') where track_id in ('V', 'W', 'X');
     update raw.tracks set payload = payload || jsonb_build_object('external_ids', jsonb_build_object('isrc', i))
       from (values ('S', 'USAB12600001'), ('A', ' usab12600001 '), ('B', 'USAB12600002'),
                    ('L', 'USAB12600003'), ('K', 'USAB12600003')) v(id, i)
       where track_id = v.id;
     select t_api('S', '2026-05-20 10:00:00+00');
     select t_api('N', '2026-05-20 11:00:00+00');
     select t_api('L', '2026-06-02 11:00:00+00');  -- after as_of: invisible"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_q "select track_id, heard, recording_heard from analytics.mart_spotify__merged_tracks order by track_id" \
"A|f|t
B|f|f
K|f|f
L|f|f
M|f|f
N|t|t
S|t|t
V|f|t
W|f|f
X|f|f"

# The history the recommend stage builds from these rows.
sp-features --as-of 2026-06-01 >features.ndjson || fail "sp-features failed"
jq -c --argjson now "$(date -u -d '2026-06-01 23:59:59' +%s)" --argjson tau 180 \
    -f "$SP_ROOT/pipelines/history.jq" features.ndjson | jq -r '[.user, .track_id, (.weight > 0)] | @tsv' | sort >history
printf 'me\tN\ttrue\nme\tS\ttrue\n' >want
expect_file want history
jq -c -f "$SP_ROOT/pipelines/exclude.jq" features.ndjson | jq -r '[.user, .track_id] | @tsv' | sort >exclude
printf 'me\tA\nme\tV\n' >want
expect_file want exclude
exit 0
