# Every tool follows the conventions: -h prints usage to stdout and exits
# 0, a bad option prints usage to stderr and exits 2, --version prints
# "sp-x VERSION", and the man page's SYNOPSIS is the usage text.
# (man renders the page, so any roff markup of the synopsis is fine.)
. "$SP_ROOT/tests/lib/lib.sh"

n=0
for tool in "$SP_BIN"/sp-*; do
	case $tool in *.c | *.o | *.d | *.1) continue ;; esac
	[ -x "$tool" ] || continue
	name=$(basename "$tool")
	n=$((n + 1))

	"$tool" -h >out 2>err; st=$?
	[ "$st" = 0 ] || fail "$name -h exited $st"
	grep -q '^usage: ' out || fail "$name -h: no 'usage: ' line on stdout"

	"$tool" --version >out 2>err; st=$?
	[ "$st" = 0 ] || fail "$name --version exited $st"
	grep -Eq "^$name [0-9]+\.[0-9]+" out || fail "$name --version printed '$(cat out)'"

	"$tool" --no-such-option >out 2>err </dev/null; st=$?
	[ "$st" = 2 ] || fail "$name --no-such-option exited $st, expected 2"
	grep -q 'usage: ' err || fail "$name --no-such-option: no usage on stderr"

	man=${tool}.1
	[ -f "$man" ] || fail "$name has no man page ($man)"
	# The rendered SYNOPSIS, whitespace collapsed, must be how -h begins
	# (after "usage:"), and -h must show no usage form the page lacks.
	syn=$(MANWIDTH=4000 man -l "$man" 2>/dev/null |
	    awk '/^SYNOPSIS/{s=1; next} s && /^[A-Z]/{exit} s' | tr -s ' \n\t' ' ' | sed 's/^ //; s/ $//')
	[ -n "$syn" ] || fail "$name: no SYNOPSIS in $man"
	hlp=$("$tool" -h | sed 's/^usage: //' | tr -s ' \n\t' ' ' | sed 's/^ //')
	case $hlp in
	"$syn"*) ;;
	*) printf 'man: %s\n -h: %s\n' "$syn" "${hlp:0:${#syn}}" >&2
	   fail "$name: the man page SYNOPSIS differs from -h" ;;
	esac
	case ${hlp#"$syn"} in
	" $name "* | " usage: "*) fail "$name: -h shows a usage form the man page's SYNOPSIS lacks" ;;
	esac
done
[ "$n" -gt 0 ] || fail "no tools found in $SP_BIN"
echo "checked $n tools"
