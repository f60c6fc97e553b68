# --variance F keeps the fewest leading components whose explained
# variance ratios (as -v prints them) add up to F.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

spm gen 400 40 3 >x.spm || fail "gen"
sp-svd -k 20 -v x.spm 2>spectrum >all.spm || fail "sp-svd -k 20"
grep -c '^svd' spectrum | grep -qx 20 || fail "-v did not print 20 components"
# The fewest components reaching 0.6, from the printed cumulative column.
want=$(awk -F '\t' '/^svd/ && $4 >= 0.6 { sub(/^svd/, "", $1); print $1 + 1; exit }' spectrum)
[ -n "$want" ] && [ "$want" -gt 1 ] && [ "$want" -lt 20 ] ||
	fail "test matrix unsuitable: 0.6 reached at '$want'"
expect_status 0 sp-svd -k 20 -v --variance 0.6 x.spm
expect_grep "^sp-svd: kept $want of 20 components (--variance 0.6)\$" err
spm dump out | head -n 2 >got
spm dump all.spm | head -n 1 | sed "s/cols 20 nnz 8000/cols $want nnz $((400 * want))/" >want
names=$(seq 0 $((want - 1)) | sed 's/.*/"svd&"/' | paste -sd ' ')
echo "colnames $names" >>want
expect_file want got
# The kept columns are the first columns of the full embedding.
spm dump out | tail -n +3 >kept
spm dump all.spm | tail -n +3 | awk -F '\t' -v k="$want" \
	'{ split($2, a, " "); s = a[1]; for (i = 2; i <= k; i++) s = s " " a[i]; print $1 "\t" s }' >first
expect_file first kept
