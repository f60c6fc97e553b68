# A file that is not an sp matrix is an error naming it (exit 1).
. "$SP_ROOT/tests/lib/lib.sh"

printf '{"track_id":"x"}\n%.0s' $(seq 1 10) >x.ndjson
expect_status 1 sp-svd -k 2 x.ndjson
expect_err "sp-svd: x.ndjson: not an sp matrix file (bad magic)"
: >empty.spm
expect_status 1 sp-svd -k 2 empty.spm
expect_err "sp-svd: empty.spm: truncated: empty input"
expect_status 1 sp-svd -k 2 missing.spm
expect_err "sp-svd: missing.spm: No such file or directory"
