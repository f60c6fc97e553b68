# sp-eval: a repeated item counts once, and only the first K distinct
# items of a list count; lines without a rank keep their file order.
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"user":"u","track_id":"b"}\n' >truth.ndjson
# Without ranks the list is a a a b: distinct a b, so b sits at rank 2.
printf '{"user":"u","track_id":"a"}\n%.0s' 1 2 3 >recs.ndjson
printf '{"user":"u","track_id":"b"}\n' >>recs.ndjson
expect_status 0 sp-eval -t truth.ndjson -k 2 --json recs.ndjson
expect_eq ndcg '0.63093' "$(jq -r '.ndcg' out)"
expect_eq distinct 2 "$(jq -r '.distinct_items' out)"
# With K = 1 the list is just a: no hit.
expect_status 0 sp-eval -t truth.ndjson -k 1 --json recs.ndjson
expect_eq ndcg-k1 0 "$(jq -r '.ndcg' out)"
