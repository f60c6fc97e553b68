# The man page's EXAMPLES, on a small feature file from the benchmark's
# generator.
. "$SP_ROOT/tests/lib/lib.sh"

command -v sp-encode >/dev/null || skip "sp-encode is not built"
cc -std=c11 -O2 -o gen "$SP_ROOT/tests/bench/gen-features.c" -lm || fail "cc gen-features"
./gen -n 600 --now 2026-11-27 >feats.ndjson || fail "gen-features"
spec=$SP_ROOT/pipelines/encode-example.json

sp-encode -s "$spec" feats.ndjson >feats.spm || fail "sp-encode"
sp-svd -k 100 --variance 0.95 --model svd-model.spm -v feats.spm >emb.spm 2>err ||
	fail "sp-svd: $(cat err)"
expect_grep '^svd99	' err
sp-svd --project svd-model.spm feats.spm | cmp - emb.spm || fail "projection differs"
sp-encode -s "$spec" feats.ndjson | sp-svd -k 20 -v >emb20.spm 2>err || fail "pipe: $(cat err)"
expect_grep '^svd19	' err
# Through the pipe too, the row labels are the encoder's, byte for byte.
expect_status 0 sp-mat labels emb20.spm
mv out l20
expect_status 0 sp-mat labels feats.spm
expect_file out l20
