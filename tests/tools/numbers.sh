# A bad number for any option of any tool is the same mistake with the same
# message (libcommon/opt.c): "TOOL: OPTION: expected an integer from LO to
# HI, got 'ARG'" (or "expected a number, got 'ARG'"), then the usage on
# stderr and exit 2.
. "$SP_ROOT/tests/lib/lib.sh"

bad() {	# bad 'MESSAGE' CMD...
	local msg=$1
	shift
	expect_status 2 "$@" </dev/null
	expect_err "$msg"
	expect_grep '^usage: ' err
}

big=9223372036854775807
bad "sp-auth: --port: expected an integer from 0 to 65535, got 'x'" sp-auth --port x login
bad "sp-auth: --timeout: expected an integer from 1 to 86400, got '0'" sp-auth --timeout 0 login
bad "sp-cosine: --topk: expected an integer from 1 to 1000, got '1001'" sp-cosine --topk 1001
bad "sp-cosine: --because: expected an integer from 0 to 1000, got '2.5'" sp-cosine --because 2.5
bad "sp-eval: --catalogue: expected an integer from 1 to $big, got '0'" sp-eval --catalogue 0
bad "sp-eval: -k: expected an integer from 1 to 1000000, got ''" sp-eval -k ''
bad "sp-fetch: --limit: expected an integer from 1 to 100, got '101'" sp-fetch --limit 101 recently-played
bad "sp-fetch: --max-pages: expected an integer from 1 to 1000000, got 'y'" sp-fetch --max-pages y recently-played
bad "sp-mat: -n: expected an integer from 0 to $big, got '-1'" sp-mat head -n -1
bad "sp-model: --rows: expected an integer from 0 to 1000000, got 'z'" sp-model --rows z compile
bad "sp-rerank: -n: expected an integer from 1 to 1000000, got '1e3'" sp-rerank -H h -l l -n 1e3
bad "sp-rerank: --random: expected an integer from 0 to $big, got '-1'" sp-rerank -H h -l l --random -1
bad "sp-rerank: --content: expected a number, got '1e999'" sp-rerank -H h -l l --content 1e999
bad "sp-rerank: --blend: expected a number, got 'nan'" sp-rerank -H h -l l --blend nan:f
bad "sp-rerank: --popularity: expected a number, got '0x1'" sp-rerank -H h -l l --popularity 0x1
bad "sp-svd: --seed: expected an integer from 0 to $big, got '1.5'" sp-svd --seed 1.5 -k 2
bad "sp-svd: -p: expected an integer from 0 to 100000, got '100001'" sp-svd -p 100001 -k 2
bad "sp-svd: --variance: expected a share in (0, 1], got '0'" sp-svd -k 2 --variance 0

# No tool parses an option's number on its own: the conversions live in opt.c.
if grep -nE 'strto(l|ll|ul|ull|d|f)\(optarg|ato[if]\(optarg' "$SP_ROOT"/bin/sp-*.c; then
	fail "an option's number parsed outside libcommon/opt.c"
fi
