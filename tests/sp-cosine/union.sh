# Many listeners are scored through one product over the union of their
# histories; the rankings and explanations are byte for byte those of each
# listener's own product (SP_COSINE_PRODUCT=per-listener) and of a run
# for that listener alone, for every score method, the artist cap and
# any number of threads.  Listeners share most of their tracks, repeat
# some, name tracks not in the matrix, and one has no track in it.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

generators
./gen-features -n 12000 -H 60 --now $NOW >feats.ndjson || fail "gen-features"
./gen-history -u 40 -t 150 <feats.ndjson >hist || fail "gen-history"
# Repeats (one entry, the weights added), a track not in the matrix, a listener with none.
sed -n '3p;170p;171p' hist >>hist
printf '{"user":"listener-0002","track_id":"not-in-the-matrix"}\n{"user":"lost","track_id":"gone"}\n' >>hist
sp-encode -s "$SP_ROOT/pipelines/encode-example.json" feats.ndjson | sp-svd -k 24 >emb.spm ||
    fail "sp-encode | sp-svd"

n=0
for args in "" "--because 2 --score topk-mean --topk 4" "--score weighted --because 2" \
    "--score centroid --because 1" "--score centroid --because 0" "--per-artist 1 -n 40" \
    "--threads 1" "--threads 3 -n 7"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	expect_status 0 sp-cosine -v --now $NOW --history hist $args emb.spm
	mv out union.$n
	[ "$(wc -l <union.$n)" -ge 200 ] || fail "$args: only $(wc -l <union.$n) lines"
	case $args in
	*"centroid --because 0"*) ;;
	*) expect_grep "^sp-cosine: listeners 1 to 41: 6000 history entries, [0-9]* rows in their union$" err ;;
	esac
	# shellcheck disable=SC2086
	SP_COSINE_PRODUCT=per-listener expect_status 0 sp-cosine --now $NOW --history hist $args emb.spm
	expect_file union.$n out
done

# A listener alone gets the lines it gets among the others.
for u in listener-0001 listener-0002 listener-0040; do
	grep "\"$u\"" hist >one
	expect_status 0 sp-cosine --now $NOW --history one emb.spm
	grep "\"user\":\"$u\"" union.1 >want
	expect_file want out
done
