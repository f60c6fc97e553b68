# --exclude: each line's track is never recommended to its user, and it
# is not that user's history: it neither scores a candidate nor is given
# as a reason (the album version of a single played).  Without --history
# every line is the one listener's.  Users without history and ids not in
# the matrix are ignored (counted under -v); bad lines name their place.
# The exclusions hold in the product per listener, in the shared one, and
# in the pruned one.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

mkmat x.spm <<'ROWS'
{"track_id":"old-x","release_date":"2020","heard":true}|1 0
{"track_id":"old-y","release_date":"2020","heard":false}|0 1
{"track_id":"alt-x","release_date":"2026-11-26","heard":false}|1 0
{"track_id":"new-x","release_date":"2026-11-25","heard":false}|5 1
{"track_id":"new-y","release_date":"2026-11-26","heard":false}|1 5
{"track_id":"new-xy","release_date":"2026-11-27","heard":false}|1 1
ROWS
cat >hist <<'IN'
{"user":"amy","track_id":"old-x"}
{"user":"zed","track_id":"old-y"}
IN
cat >excl <<'IN'
{"user":"amy","track_id":"alt-x"}
{"user":"zed","track_id":"new-y"}
{"user":"nobody","track_id":"new-x"}
{"user":"amy","track_id":"not-there"}
IN
expect_status 0 sp-cosine -v --score topk-mean --topk 2 --now $NOW --history hist --exclude excl x.spm
cat >expect <<'OUT'
{"user":"amy","rank":1,"track_id":"new-x","score":0.980581,"because":[{"track_id":"old-x","similarity":0.980581}]}
{"user":"amy","rank":2,"track_id":"new-xy","score":0.707107,"because":[{"track_id":"old-x","similarity":0.707107}]}
{"user":"amy","rank":3,"track_id":"new-y","score":0.196116,"because":[{"track_id":"old-x","similarity":0.196116}]}
{"user":"zed","rank":1,"track_id":"new-xy","score":0.707107,"because":[{"track_id":"old-y","similarity":0.707107}]}
{"user":"zed","rank":2,"track_id":"new-x","score":0.196116,"because":[{"track_id":"old-y","similarity":0.196116}]}
{"user":"zed","rank":3,"track_id":"alt-x","score":0.000000,"because":[{"track_id":"old-y","similarity":0.000000}]}
OUT
expect_file expect out
expect_grep "^sp-cosine: excl: 4 exclusions, 2 of unknown users or tracks (ignored)$" err
# As history (weight 0), alt-x would have been a reason and a second
# similar track in amy's top-2 mean.
{ cat hist; echo '{"user":"amy","track_id":"alt-x","weight":0}'; } >hist0
expect_status 0 sp-cosine --score topk-mean --topk 2 --now $NOW --history hist0 x.spm
expect_grep '"user":"amy","rank":1,"track_id":"new-x","score":0.980581,"because":\[{"track_id":"alt-x"' out
# One listener's product, the shared one, and several threads agree.
expect_status 0 sp-cosine --score topk-mean --topk 2 --now $NOW --history hist --exclude excl --threads 3 x.spm
expect_file expect out
SP_COSINE_PRODUCT=per-listener expect_status 0 sp-cosine --score topk-mean --topk 2 --now $NOW \
    --history hist --exclude excl x.spm
expect_file expect out
# The centroid scores skip them as well.
expect_status 0 sp-cosine --score centroid --now $NOW --history hist --exclude excl x.spm
[ "$(jq -r 'select(.user == "amy") | .track_id' out | sort | paste -sd ' ')" = "new-x new-xy new-y" ] ||
    fail "centroid: amy's list: $(cat out)"

# Without --history: the one listener (heard rows released before the
# window) is every line's; "user" need not be there.
printf '{"track_id":"alt-x"}\n{"user":"whoever","track_id":"new-y"}\n' >excl1
expect_status 0 sp-cosine --now $NOW --exclude excl1 x.spm
[ "$(jq -r .track_id out | paste -sd ' ')" = "new-x new-xy" ] || fail "no --history: $(cat out)"

# Bad input names its place and exits 1; so does a missing file.
printf '{"user":"amy","track_id":"alt-x"}\n{"user":"amy",\n' >bad
expect_status 1 sp-cosine --now $NOW --history hist --exclude bad x.spm
expect_grep '^sp-cosine: bad:2: invalid JSON' err
printf '{"user":"amy","track_id":7}\n' >bad
expect_status 1 sp-cosine --now $NOW --history hist --exclude bad x.spm
expect_grep "^sp-cosine: bad:1: field 'track_id': expected a string, got a number" err
expect_status 1 sp-cosine --now $NOW --history hist --exclude no-such-file x.spm
expect_grep '^sp-cosine: no-such-file: ' err

# The pruned product (forced: a product this small does not need it)
# keeps the exclusions: the pruned list without its best 5 tracks is the
# whole product's with them excluded.
generators
./gen-features -n 30000 -H 80 --now $NOW >feats.ndjson || fail "gen-features"
./gen-history -u 1 -t 6000 <feats.ndjson >big || fail "gen-history"
sp-encode -s "$SP_ROOT/pipelines/encode-example.json" feats.ndjson | sp-svd -k 48 >emb.spm ||
    fail "sp-encode | sp-svd"
expect_status 0 sp-cosine --now $NOW --history big -n 30 emb.spm
mv out whole
user=$(jq -r .user whole | head -n 1)
head -n 5 whole | jq -c --arg u "$user" '{user: $u, track_id}' >top5
SP_COSINE_PRUNE=on expect_status 0 sp-cosine -v --now $NOW --history big --exclude top5 -n 25 emb.spm
expect_grep "^sp-cosine: listener '[^']*': [0-9]* of [0-9]* candidates may enter its best " err
jq -r .track_id out >got
tail -n +6 whole | jq -r .track_id >want
expect_file want got
exit 0
