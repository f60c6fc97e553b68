# Empty input (here blank lines on stdin) is a valid matrix with no rows;
# numeric and hashed columns exist, one-hot ones have no categories.
. "$SP_ROOT/tests/lib/lib.sh"
cat >spec.json <<'X'
{"id": "id", "features": [
  {"field": "x", "transform": "minmax"},
  {"field": "g", "transform": "onehot"},
  {"field": "g", "transform": "hash", "dim": 4}]}
X
printf '\n  \n' >in.ndjson
sp-encode -s spec.json <in.ndjson >m.spm 2>err
expect_eq "exit status" 0 $?
sp-mat info m.spm >info || fail "sp-mat info failed"
expect_grep '^rows	0$' info
expect_grep '^cols	5$' info
expect_grep '^nnz	0$' info
printf '"x"\n"g#hash0"\n"g#hash1"\n"g#hash2"\n"g#hash3"\n' >want
sp-mat colnames m.spm >got || fail "sp-mat colnames failed"
expect_file want got
# A file of zero bytes gives the same matrix.
: >zero.ndjson
expect_status 0 sp-encode -s spec.json zero.ndjson
cmp -s out m.spm || fail "zero-byte input differs from blank-line input"
