# sp-stage: a write that fails half way (the file size limit, like a full
# disk) exits 1 and leaves no object and no temporary file; an unusable
# store directory is reported the same way.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home

# Enough records for a batch of well over the limit once compressed, and
# for several of the 1 MB batches sp-stage hands its gzip writer thread.
for i in $(seq 9000); do
	printf -v id 'x%021d' "$i"
	export_play "$id" "2026-01-01T00:00:00Z" "$i"
done | sed "s/Track /Track $RANDOM$RANDOM /" >big.ndjson
(ulimit -f 8; trap '' XFSZ; exec sp-stage plays big.ndjson) >out 2>err
st=$?
[ "$st" = 1 ] || { cat err >&2; fail "exit $st, expected 1"; }
expect_grep "^sp-stage: .*File too large" err
expect_eq "files left" "" "$(find home -type f)"

# A store below a regular file cannot be created.
touch notadir
expect_status 1 sp-stage --store notadir/stage plays big.ndjson
expect_err "sp-stage: notadir/stage/plays: Not a directory"
expect_eq "stdout" "" "$(cat out)"
