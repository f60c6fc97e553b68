# A write error on stdout, or on the model file, exits 1 with a message.
. "$SP_ROOT/tests/lib/lib.sh"
spm() { python3 "$SP_ROOT/tests/sp-svd/spm.py" "$@"; }

[ -w /dev/full ] || skip "no /dev/full"
spm gen 50 10 11 >x.spm || fail "gen"
sp-svd -k 2 x.spm >/dev/full 2>err
expect_eq status 1 $?
expect_err "sp-svd: write error on stdout: No space left on device"
sp-svd -k 2 --model /dev/full x.spm >out 2>err
expect_eq status 1 $?
expect_err "sp-svd: /dev/full: write error: No space left on device"
