#!/usr/bin/env bash
# Values that are not finite numbers, entries beyond the declared count and
# a column index repeated within a row are errors naming where (exit 1),
# never bare inf/nan in JSON or a silently dropped entry.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }
mm() { printf '%%%%MatrixMarket matrix coordinate real general\n2 3 %s\n' "$1"; }

{ mm 2; printf '1 2 0.25\n2 3 nan\n'; } >nan.mtx
expect_status 1 sp-mat from-mtx nan.mtx
expect_err "sp-mat: nan.mtx:4: value is not a finite number"

{ mm 1; printf '2 1 1e999\n'; } >huge.mtx
expect_status 1 sp-mat from-mtx huge.mtx
expect_err "sp-mat: huge.mtx:3: value is not a finite number"

{ mm 1; printf '2 1 1e39\n'; } >f32.mtx
expect_status 1 sp-mat from-mtx f32.mtx
expect_err "sp-mat: f32.mtx:3: value 1e+39 is beyond a 32-bit float (--f64 keeps it)"
expect_status 0 sp-mat from-mtx --f64 f32.mtx

printf '%%%%MatrixMarket matrix array real general\n1 2\n1\ninf\n' >arr.mtx
expect_status 1 sp-mat from-mtx arr.mtx
expect_err "sp-mat: arr.mtx:4: value is not a finite number"

{ mm 2; printf '1 1 3e38\n1 1 3e38\n'; } >sum.mtx
expect_status 1 sp-mat from-mtx sum.mtx
expect_err "sp-mat: sum.mtx: row 1, column 1: the sum of its repeated entries is beyond a 32-bit float"

{ mm 1; printf '1 2 0.25\n2 3 4\n'; } >extra.mtx
expect_status 1 sp-mat from-mtx extra.mtx
expect_err "sp-mat: extra.mtx:4: more entries than the 1 the size line declares"

# Repeats within a row are summed on the way in; one stored twice in an sp
# matrix file is corrupt.
printf '0:1 2:2 2:3\n' >rows.txt
spm rows rows.txt >dup.spm || fail "spm rows"
expect_status 1 sp-mat head dup.spm
expect_err "sp-mat: dup.spm: row 0: column index 2 repeated"
printf '0:1 2:2\n' >rows.txt
spm rows rows.txt >order.spm || fail "spm rows"
# Swaps the row's two column indices (2 before 0).
python3 -c 'import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
rows, cols, nnz, cn, lab = struct.unpack_from("<QQQQQ", b, 24)
at = 64 + (cn + 7) // 8 * 8 + (lab + 7) // 8 * 8 + (rows + 1) * 8
b[at:at + 8] = b[at + 4:at + 8] + b[at:at + 4]
open(sys.argv[1], "wb").write(b)' order.spm || fail "swap"
expect_status 1 sp-mat info order.spm
expect_err "sp-mat: order.spm: row 0: column index 0 out of order (indices ascend within a row)"

printf '0:1 1:2\n1:inf\n' >rows.txt
spm rows rows.txt >inf.spm || fail "spm rows"
expect_status 1 sp-mat head inf.spm
expect_err "sp-mat: inf.spm: row 1, column 1: value is not finite (inf)"
expect_eq "rows before the bad one" 1 "$(wc -l <out)"
printf '0:nan\n' >rows.txt
spm rows rows.txt --dense >nan.spm || fail "spm rows"
expect_status 1 sp-mat to-mtx nan.spm
expect_err "sp-mat: nan.spm: row 0, column 0: value is not finite (nan)"
exit 0
