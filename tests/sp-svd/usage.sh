# Bad usage exits 2 with a message and the usage; -h prints the usage to
# stdout, matching the man page's SYNOPSIS.
. "$SP_ROOT/tests/lib/lib.sh"

for k in 0 -3 abc 1x ''; do
	expect_status 2 sp-svd -k "$k" x.spm
	expect_err "sp-svd: -k: expected an integer from 1 to 100000, got '$k'"
	expect_grep '^usage: sp-svd -k K' err
done
expect_status 2 sp-svd x.spm
expect_err "sp-svd: -k K is required"
expect_status 2 sp-svd -k 2 --variance 1.5 x.spm
expect_err "sp-svd: --variance: expected a share in (0, 1], got '1.5'"
expect_status 2 sp-svd -q -1 -k 2 x.spm
expect_err "sp-svd: -q: expected an integer from 0 to 1000, got '-1'"
expect_status 2 sp-svd --project m.spm -k 3 x.spm
expect_err "sp-svd: m.spm: --project takes only -v and FILE"
expect_status 2 sp-svd --bogus
expect_grep '^usage: sp-svd' err
expect_status 2 sp-svd -k 2 a.spm b.spm
expect_err "sp-svd: b.spm: only one input file"
expect_status 0 sp-svd -h
sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$SP_ROOT/bin/sp-svd.1" |
	grep '^\.B sp-svd' | wc -l | grep -qx "$(grep -c '^\(usage: \|       \)sp-svd ' out)" ||
	fail "-h and SYNOPSIS differ in usage lines"
# -h describes every option of the page.
for o in -k -p -q --seed --variance --model --project --verbose --help --version; do
	expect_grep "^ *\(-[a-z], \)\?$o\b" out
done
expect_grep '^usage: sp-svd -k K \[-p P\] \[-q Q\] \[--seed N\] \[--variance F\] \[--model MODEL\] \[-v\] \[FILE\]$' out
expect_grep '^       sp-svd --project MODEL \[-v\] \[FILE\]$' out
expect_status 0 sp-svd --version
expect_grep '^sp-svd ' out
