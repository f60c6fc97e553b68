# A write error on stdout (a full disk) exits 1 with a message.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"
[ -w /dev/full ] || skip "no /dev/full"
mkexample x.spm

sp-cosine --now $NOW x.spm >/dev/full 2>err
st=$?
expect_eq "exit status" 1 "$st"
expect_err "sp-cosine: write error on stdout: No space left on device"

printf '{"user":"u%d","track_id":"h1"}\n' 1 2 3 >h
sp-cosine --now $NOW --history h x.spm >/dev/full 2>err
st=$?
expect_eq "exit status with --history" 1 "$st"
expect_err "sp-cosine: write error on stdout: No space left on device"
