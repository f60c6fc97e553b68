# tests/sp-cosine/cosine.bash: helpers sourced by the sp-cosine cases (not a case).
. "$SP_ROOT/tests/lib/lib.sh"

NOW=2026-11-27

# generators: builds tests/bench's gen-features and gen-history here (the
# case is skipped without a C compiler).
generators() {
	command -v "${CC:-cc}" >/dev/null || skip "no C compiler for the generators"
	for g in gen-features gen-history; do
		"${CC:-cc}" -std=c11 -O2 -o $g "$SP_ROOT/tests/bench/$g.c" -lm || fail "cannot build $g"
	done
}

# mkmat OUT: builds a dense float32 matrix OUT from stdin lines
# "LABEL|v1 v2 ... vd" (LABEL a JSON object without '|'), through
# Matrix Market and sp-mat from-mtx, as a user would.
mkmat() {
	awk -F'|' -v lab="$1.labels" -v mtx="$1.mtx" '
	{
		print $1 > lab
		n = split($2, v, " ")
		if (NR == 1)
			d = n
		for (j = 1; j <= n; j++)
			if (v[j] ~ /[a-z]/ || v[j] + 0 != 0)
				e[++ne] = NR " " j " " v[j]
	}
	END {
		print "%%MatrixMarket matrix coordinate real general" > mtx
		print NR, d, ne + 0 > mtx
		for (i = 1; i <= ne; i++)
			print e[i] > mtx
	}' || fail "mkmat: awk failed"
	sp-mat from-mtx --dense --labels "$1.labels" "$1.mtx" >"$1" ||
	    fail "mkmat: sp-mat from-mtx failed"
}

# The hand-made example of the man page's scores: two history tracks
# h1 = (1, 1) and h2 = (0, 3), three candidates c1 = (0, 2), c2 = (2, -2),
# c3 = (5, 0).  Cosines: c1.h1 = 0.707107, c1.h2 = 1, c2.h1 = 0,
# c2.h2 = -0.707107, c3.h1 = 0.707107, c3.h2 = 0.
mkexample() {
	mkmat "$1" <<'ROWS'
{"track_id":"h1","release_date":"2026-01-01","heard":true,"artist_ids":["A"]}|1 1
{"track_id":"h2","release_date":"2025","heard":true,"artist_ids":"B"}|0 3
{"track_id":"c1","release_date":"2026-11-25","heard":false,"artist_ids":["A","B"]}|0 2
{"track_id":"c2","release_date":"2026-11-27","heard":false,"artist_ids":null}|2 -2
{"track_id":"c3","release_date":"2026-11-21","heard":false}|5 0
ROWS
}
