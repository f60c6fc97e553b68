# sp.conf, the one settings file, is read by pipeline.sh (read_settings) with
# the same rules as the tools (sp_conf_line): every case of
# tests/unit/settings.test gives the same answer here, nothing in it is ever
# run, and the environment wins over the file.
. "$SP_ROOT/tests/lib/lib.sh"

sed -n '/^read_settings() {$/,/^}$/p' "$SP_ROOT/pipeline.sh" >read_settings.bash
grep -q '^read_settings' read_settings.bash || fail "read_settings not found in pipeline.sh"
say() { printf 'pipeline: %s\n' "$*" >&2; }
. ./read_settings.bash

n=0
lineno=0
while IFS= read -r tline; do
	lineno=$((lineno + 1))
	case $tline in *$'\t'*) ;; *) continue ;; esac	# the header has no tab
	line=${tline%$'\t'*} want=${tline##*$'\t'}
	printf '%s\n' "$line" >sp.conf
	name=${want%%=*}
	got=$(
		unset SP_TZ SP_DAYS SP_PLAYLIST_NAME SP_NAME SP_X SP_DATABASE_URL SP_EMPTY SP_Q PGHOST SP_A2_B
		read_settings sp.conf 2>err
		if [ -s err ]; then
			echo bad
		elif [ "$want" = skip ] || [ "$want" = bad ]; then
			env | grep -E '^(SP_(TZ|DAYS|PLAYLIST_NAME|NAME|X|DATABASE_URL|EMPTY|Q|A2_B)|PGHOST)=' || echo skip
		else
			printf '%s=%s\n' "$name" "${!name-(unset)}"
		fi
	)
	[ "$got" = "$want" ] || fail "settings.test:$lineno: '$line': expected '$want', got '$got'"
	n=$((n + 1))
done <"$SP_ROOT/tests/unit/settings.test"
[ "$n" -ge 20 ] || fail "only $n cases read from settings.test"

# Nothing in the file is run, and a bad line names its place.
printf 'SP_TZ=Asia/Tokyo\nSP_X=$(touch pwned)\n`touch pwned2`\nLD_PRELOAD=/tmp/x.so\nXDG_CONFIG_HOME=/tmp/demo/config\nSP_PLAYLIST_NAME=Friday finds\n' >sp.conf
(
	unset SP_TZ SP_X LD_PRELOAD XDG_CONFIG_HOME SP_PLAYLIST_NAME
	read_settings sp.conf 2>err
	expect_eq SP_TZ Asia/Tokyo "${SP_TZ:-}"
	expect_eq LD_PRELOAD '' "${LD_PRELOAD:-}"
	# Where the token lives is a setting (the demo's home keeps its own).
	expect_eq XDG_CONFIG_HOME /tmp/demo/config "${XDG_CONFIG_HOME:-}"
	expect_grep '^pipeline: sp.conf:2: not a setting' err
	expect_grep '^pipeline: sp.conf:3: not a setting' err
	expect_grep '^pipeline: sp.conf:4: LD_PRELOAD is not an sp setting' err
	# Blanks alone: the line is ignored, with the quotes it misses.
	expect_grep "^pipeline: sp.conf:6: not a setting: a value with blanks needs quotes (SP_PLAYLIST_NAME='Friday finds'); ignored$" err
	expect_grep '^pipeline: sp.conf:2: not a setting (NAME=value, nothing a shell would expand); ignored$' err
	expect_eq SP_PLAYLIST_NAME '' "${SP_PLAYLIST_NAME:-}"
) || exit 1
[ ! -e pwned ] && [ ! -e pwned2 ] || fail "a line of sp.conf was run"

# The environment wins; within the file the last line wins.
printf 'SP_TZ=Asia/Tokyo\nSP_DAYS=3\nSP_DAYS=5\n' >sp.conf
(
	export SP_TZ=UTC
	unset SP_DAYS
	read_settings sp.conf
	expect_eq SP_TZ UTC "$SP_TZ"
	expect_eq SP_DAYS 5 "$SP_DAYS"
) || exit 1
