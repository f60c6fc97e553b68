# Every option the man page's OPTIONS section lists is described by -h too
# (each tool's -h is a summary of its page).
. "$SP_ROOT/tests/lib/lib.sh"

n=0
for tool in "$SP_BIN"/sp-*; do
	case $tool in *.c | *.o | *.d | *.1) continue ;; esac
	[ -x "$tool" ] || continue
	name=$(basename "$tool")
	"$tool" -h >out 2>err || fail "$name -h failed"
	# The options named on the .TP tag lines of OPTIONS: -x and --long.
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$tool.1" | awk 'prev == ".TP" { print } { prev = $0 }' |
	    sed 's/\\-/-/g; s/\\f[BIRP]//g' | grep -o -- '--\?[a-zA-Z][a-zA-Z0-9-]*' |
	    grep '^-' | sort -u >opts
	while read -r o; do
		n=$((n + 1))
		grep -q -- "^ *\(-[a-zA-Z], \)\?$o\([ ,=]\|$\)" out ||
			fail "$name: -h does not describe $o (its man page lists it)"
	done <opts
done
[ "$n" -gt 20 ] || fail "only $n options found in the man pages"
echo "checked $n options"
