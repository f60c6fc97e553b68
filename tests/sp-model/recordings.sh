#!/usr/bin/env bash
# needs: pg
# One recording under several track ids (a single, then its album's
# version; a re-release): a track whose ISRC (external_ids.isrc, compared
# trimmed and upper-cased) is that of a track played is recording_heard,
# though not heard; tracks without an ISRC never match each other; a play
# after as_of does not count.  Then pipelines/history.jq: every heard
# track is history whatever its release date (a release of the week
# played already), a recording heard under another id at weight 0.
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
S|t|t"

# The history the recommend stage builds from these rows.
sp-features --as-of 2026-06-01 >features.ndjson || fail "sp-features failed"
jq -c --argjson now "$(date -u -d '2026-06-01 23:59:59' +%s)" --argjson tau 180 \
    -f "$SP_ROOT/pipelines/history.jq" features.ndjson | jq -r '[.track_id, (.weight > 0)] | @tsv' | sort >history
printf 'A\tfalse\nN\ttrue\nS\ttrue\n' >want
expect_file want history
exit 0
