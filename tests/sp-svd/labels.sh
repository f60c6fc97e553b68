# sp-svd writes a dense float32 rows x k embedding, with the input's row
# labels unchanged and the columns svd0..svd{k-1}.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 50 30 1 >x.spm || fail "gen"
expect_status 0 sp-svd -k 4 x.spm
mv out emb.spm
spm dump emb.spm >dump || fail "dump"
expect_eq header "layout dense dtype f32 rows 50 cols 4 nnz 200" "$(head -n 1 dump)"
expect_eq colnames 'colnames "svd0" "svd1" "svd2" "svd3"' "$(sed -n 2p dump)"
spm dump x.spm | tail -n +3 | cut -f 1 >want
tail -n +3 dump | cut -f 1 >got
expect_file want got
# Every row has 4 values.
tail -n +3 dump | awk -F '\t' '{ if (split($2, a, " ") != 4) bad = 1 } END { exit bad }' ||
	fail "a row without 4 values"
