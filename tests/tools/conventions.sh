# Every tool follows the conventions: -h prints usage to stdout and exits
# 0, a bad option prints usage to stderr and exits 2, --version prints
# "sp-x VERSION", and the man page's SYNOPSIS is the usage text.
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
	# The synopsis is the .nf/.fi block after .SH SYNOPSIS, roff escapes
	# undone; usage is -h's leading lines with "usage:" stripped.
	awk '/^\.SH SYNOPSIS/{s=1; next} s && /^\.SH/{exit} s && !/^\./' "$man" |
	    sed -e 's/\\-/-/g' -e 's/\\\\/\\/g' -e 's/\\fB//g; s/\\fR//g; s/\\fI//g; s/\\fP//g' \
	    -e 's/^[[:space:]]*//' >synopsis
	"$tool" -h | awk 'NR==1 || /^ / {print} /^$/{exit}' |
	    sed -e 's/^usage: //' -e 's/^[[:space:]]*//' | grep . | grep "^$name" >usage
	if ! cmp -s usage synopsis; then
		diff -u usage synopsis >&2
		fail "$name: the man page SYNOPSIS differs from -h"
	fi
done
[ "$n" -gt 0 ] || fail "no tools found in $SP_BIN"
echo "checked $n tools"
