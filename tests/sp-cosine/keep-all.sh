# Each listener keeps only its best 2n+16 candidates while the product is
# formed; when those run out before -n lines (the artist cap, duplicate
# ids), the listener is scored again keeping every candidate, and gets the
# lines it gets from a product that keeps all (SP_COSINE_PRODUCT=
# per-listener).  Here 40 candidates of artist A are the most similar to
# u1's history, so with --per-artist 1 -n 3 its lines 2 and 3 come from
# past the best 22; u2's duplicate ids run out the same way.
. "$SP_ROOT/tests/sp-cosine/cosine.bash"

{
	echo '{"track_id":"h1","release_date":"2020","heard":true}|1 0 0'
	echo '{"track_id":"h2","release_date":"2020","heard":true}|0 1 0'
	for i in $(seq 10 49); do
		echo "{\"track_id\":\"a$i\",\"release_date\":\"2026-11-25\",\"artist_ids\":[\"A\"]}|9 0.$i 1"
	done
	for i in $(seq 10 19); do
		echo "{\"track_id\":\"b$i\",\"release_date\":\"2026-11-25\",\"artist_ids\":[\"B$i\"]}|4 0.$i 3"
	done
	# Thirty rows of one id, most similar to h2, then others.
	for i in $(seq 10 39); do
		echo "{\"track_id\":\"d\",\"release_date\":\"2026-11-26\"}|0 9 0.$i"
	done
	for i in $(seq 10 19); do
		echo "{\"track_id\":\"e$i\",\"release_date\":\"2026-11-26\"}|0 4 1.$i"
	done
} >rows
mkmat x.spm <rows
printf '{"user":"u1","track_id":"h1"}\n{"user":"u2","track_id":"h2"}\n' >h
ids() { sed 's/.*"track_id":"\([^"]*\)","score".*/\1/' "$1" | tr '\n' ' '; }

expect_status 0 sp-cosine -v --now $NOW --per-artist 1 -n 3 --history h x.spm
mv out got
expect_grep "^sp-cosine: listener 'u1': its best 22 candidates ran out before -n 3 lines; scored again keeping all$" err
expect_grep "^sp-cosine: listener 'u2': its best 22 candidates ran out before -n 3 lines; scored again keeping all$" err
expect_eq "u1" "a10 b10 b11 " "$(grep '"u1"' got >u1; ids u1)"
expect_eq "u2" "d e10 e11 " "$(grep '"u2"' got >u2; ids u2)"
SP_COSINE_PRODUCT=per-listener expect_status 0 sp-cosine --now $NOW --per-artist 1 -n 3 --history h x.spm
expect_file got out
# With room for -n lines among the best kept, nobody is scored again.
grep u1 h >h1
expect_status 0 sp-cosine -v --now $NOW -n 3 --history h1 x.spm
expect_eq "u1 without the cap" "a10 a11 a12 " "$(ids out)"
if grep -q "scored again" err; then
	fail "scored again without need: $(cat err)"
fi
