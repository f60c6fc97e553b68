# sp-mat: a truncated file, a wrong magic, a future version and a bad
# Matrix Market entry are clear errors naming the input, with exit 1.
. "$SP_ROOT/tests/lib/lib.sh"

printf '%%%%MatrixMarket matrix coordinate real general\n2 3 2\n1 2 0.25\n2 3 4\n' >a.mtx
printf '{"id":"a"}\n{"id":"b"}\n' >l.ndjson
sp-mat from-mtx --labels l.ndjson a.mtx >a.spm
size=$(wc -c <a.spm)

head -c $((size - 5)) a.spm >cut.spm
expect_status 1 sp-mat info cut.spm
expect_err "sp-mat: cut.spm: truncated: the header announces $((size - 64)) bytes of data, the file has $((size - 69))"

head -c $((size - 5)) a.spm | expect_status 1 sp-mat info
expect_grep '^sp-mat: <stdin>: truncated in values: expected 8 bytes, got 3$' err

: >empty.spm
expect_status 1 sp-mat info empty.spm
expect_err "sp-mat: empty.spm: truncated: empty input"

printf 'NOTAMATRIX-and-more-bytes-to-fill-a-header-of-sixty-four-bytes-x' >bad.spm
expect_status 1 sp-mat head bad.spm
expect_err "sp-mat: bad.spm: not an sp matrix file (bad magic)"

cp a.spm future.spm
printf '\002' | dd of=future.spm bs=1 seek=8 conv=notrunc 2>/dev/null
expect_status 1 sp-mat info future.spm
expect_err "sp-mat: future.spm: matrix format version 2 is not supported (this tool reads version 1)"

printf '%%%%MatrixMarket matrix coordinate real general\n2 3 2\n1 9 0.25\n' >bad.mtx
expect_status 1 sp-mat from-mtx bad.mtx
expect_err "sp-mat: bad.mtx:3: bad entry"

printf '%%%%MatrixMarket matrix coordinate real general\n2 3 999999999\n1 2 0.25\n' >short.mtx
expect_status 1 sp-mat from-mtx short.mtx
expect_err "sp-mat: short.mtx:3: truncated: expected 999999999 entries, got 1"

expect_status 1 sp-mat from-mtx --labels /dev/null a.mtx
expect_err "sp-mat: /dev/null: expected 2 label lines"

sp-mat to-mtx a.spm >/dev/full 2>err && fail "write error not reported"
expect_err "sp-mat: write error on stdout: No space left on device"
