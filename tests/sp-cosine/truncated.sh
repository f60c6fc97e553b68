# A truncated matrix or one with a wrong magic is an error from the
# matrix reader, naming the file: exit 1, no output.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
mkexample x.spm

size=$(wc -c <x.spm)
head -c $((size - 9)) x.spm >t.spm
expect_status 1 sp-cosine --now $NOW t.spm
expect_err "sp-cosine: t.spm: truncated: the header announces $((size - 64)) bytes of data, the file has $((size - 73))"
[ ! -s out ] || fail "output: $(cat out)"

# Through a pipe the reader finds out later, in the values.
cat t.spm | sp-cosine --now $NOW >out 2>err
expect_eq "exit status through a pipe" 1 "${PIPESTATUS[1]}"
case $(head -n 1 err) in
"sp-cosine: <stdin>: truncated"*) ;;
*) fail "stderr: $(cat err)" ;;
esac

head -c 40 x.spm >h.spm
expect_status 1 sp-cosine --now $NOW h.spm
expect_err "sp-cosine: h.spm: truncated: incomplete header"

printf 'NOTAMATRIX-NOTAMATRIX-NOTAMATRIX-NOTAMATRIX-NOTAMATRIX-NOTAMATRIX' >m.spm
expect_status 1 sp-cosine --now $NOW m.spm
expect_err "sp-cosine: m.spm: not an sp matrix file (bad magic)"
