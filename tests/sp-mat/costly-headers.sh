#!/usr/bin/env bash
# Headers that cost out of proportion to their bytes: a dense matrix of no
# rows and 2^40 columns has nothing to write (to-mtx ends at once); one of
# 2^40 rows and no columns that a tool cannot hold fails naming the file;
# a Matrix Market size line asking for gigabytes says so before allocating
# and names the file when the memory cannot be had.
. "$SP_ROOT/tests/lib/lib.sh"

# spm_header LAYOUT ROWS COLS NNZ: a bare 64-byte header.
spm_header() {
	python3 -c 'import struct, sys
l, r, c, n = map(int, sys.argv[1:])
sys.stdout.buffer.write(b"SPMAT\r\n\x1a" + struct.pack("<II", 1, 0x01020304) +
    bytes([l, 1, 4, 0, 0, 0, 0, 0]) + struct.pack("<QQQQQ", r, c, n, 0, 0))' "$@"
}
asan=0
ldd "$(command -v sp-mat)" 2>/dev/null | grep -q libasan && asan=1

spm_header 2 0 1099511627776 0 >wide.spm
timeout 60 sp-mat to-mtx wide.spm >out 2>err
expect_eq "to-mtx exit status" 0 "$?"
printf '%%%%MatrixMarket matrix array real general\n%% written by sp-mat from wide.spm\n0 1099511627776\n' >want
expect_file want out

# A tool that needs a row pointer per row: 8 TB cannot be had.
spm_header 2 1099511627776 0 0 >tall.spm
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1 \
	expect_status 1 sp-svd -k 1 tall.spm
# (Under AddressSanitizer its allocator says so first: that line is its own.)
grep -v 'AddressSanitizer failed to allocate' err >tool.err
expect_eq stderr "sp-svd: tall.spm: out of memory (1099511627777 x 8 bytes, about 8796.1 GB)" "$(cat tool.err)"

printf '%%%%MatrixMarket matrix coordinate real general\n500000000 4 1\n1 1 1\n' >big.mtx
# ulimit -v cannot bound a process under AddressSanitizer (its shadow
# memory alone is terabytes of address space).
[ "$asan" = 1 ] && skip "AddressSanitizer build: no address-space limit"
(ulimit -v 1000000 && exec sp-mat from-mtx big.mtx) >out 2>err
expect_eq "from-mtx exit status" 1 "$?"
cat >want <<'X'
sp-mat: big.mtx: 500000000 x 4 with 1 entry takes 4.0 GB of memory
sp-mat: big.mtx: out of memory (500000001 x 8 bytes, about 4.0 GB)
X
expect_file want err
exit 0
