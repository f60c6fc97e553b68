# sp-rerank --random: a seeded order, the same on every run, another with
# another seed, every line kept.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"track_id":"h","artist_ids":["A"]}\n' >labels.ndjson
printf '{"user":"u","track_id":"h"}\n' >history.ndjson
for i in $(seq 1 40); do
	printf '{"user":"u","rank":%d,"track_id":"c%d","score":0.5}\n' "$i" "$i"
done >in.ndjson
sp-rerank -H history.ndjson -l labels.ndjson --content 0 --random 7 -n 100 in.ndjson >a || fail "sp-rerank"
sp-rerank -H history.ndjson -l labels.ndjson --content 0 --random 7 -n 100 in.ndjson >b || fail "sp-rerank"
sp-rerank -H history.ndjson -l labels.ndjson --content 0 --random 8 -n 100 in.ndjson >c || fail "sp-rerank"
expect_file a b
cmp -s a c && fail "seeds 7 and 8 gave the same order"
expect_eq lines 40 "$(wc -l <a)"
expect_eq items "$(jq -r .track_id in.ndjson | sort)" "$(jq -r .track_id a | sort)"
# Not the input order either.
[ "$(jq -r .track_id a)" != "$(jq -r .track_id in.ndjson)" ] || fail "no shuffle"
