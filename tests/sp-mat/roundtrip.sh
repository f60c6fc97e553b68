# sp-mat: Matrix Market -> sp matrix -> Matrix Market keeps every value,
# label and column name, and the second conversion is byte-identical.
. "$SP_ROOT/tests/lib/lib.sh"

cat >a.mtx <<'X'
%%MatrixMarket matrix coordinate real general
% a comment
3 4 4
1 1 1.5
1 3 2
3 4 -1
1 1 0.5
X
printf '{"track_id":"a"}\n{"track_id":"b"}\n{"track_id":"c"}\n' >labels.ndjson
printf '"w"\n"x"\n"y"\n"genres=rock"\n' >cols.ndjson
sp-mat from-mtx --labels labels.ndjson --colnames cols.ndjson a.mtx >a.spm || fail "from-mtx"
sp-mat to-mtx --labels l2.ndjson --colnames c2.ndjson a.spm >b.mtx || fail "to-mtx"
cat >expect.mtx <<'X'
%%MatrixMarket matrix coordinate real general
% written by sp-mat from a.spm
3 4 3
1 1 2
1 3 2
3 4 -1
X
expect_file expect.mtx b.mtx
expect_file labels.ndjson l2.ndjson
expect_file cols.ndjson c2.ndjson
sp-mat from-mtx --labels l2.ndjson --colnames c2.ndjson b.mtx >b.spm
cmp a.spm b.spm || fail "second conversion differs"
