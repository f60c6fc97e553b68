#!/usr/bin/env bash
# needs: pg
# pipelines/encode.json matches the mart: every field it names is a member
# of sp-features' rows, and sp-encode turns them into a matrix whose row
# labels start with track_id.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
[ -x "$SP_BIN/sp-encode" ] && [ -x "$SP_BIN/sp-mat" ] || skip "sp-encode or sp-mat not built"
models_db
sql "select t_artist('a1', '{g1,g2}'); select t_artist('a2', '{}');
     select t_track('A', '{a1}', 'al', '2019', 200000);
     select t_track('B', '{a2}', 'al2', '2026-11-20', 100000, 'releases');
     select t_api('A', '2026-05-01 10:00+00'); select t_api('A', '2026-05-01 10:01+00');"
expect_status 0 sp-model run -q --var as_of=2026-06-01
expect_status 0 sp-features
mv out feats.ndjson
spec=$SP_ROOT/pipelines/encode.json
for f in $(jq -r '.id, .labels[], .features[].field' "$spec" | sort -u); do
	jq -e --arg f "$f" 'has($f)' feats.ndjson >/dev/null || fail "field '$f' of encode.json is not in the feature rows"
done
expect_status 0 sp-encode -s "$spec" feats.ndjson
mv out feats.spm
expect_status 0 sp-mat head feats.spm
expect_eq "labels" '{"track_id":"A","release_date":"2019","heard":true,"artist_ids":["a1"],"track_name":"Track A","artist_names":["Artist a1"],"candidate_source":null,"album_name":"Album al"}' \
	"$(head -n 1 out | jq -c .label)"
expect_grep '"genres=g1"' out
