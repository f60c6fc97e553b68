#!/usr/bin/env bash
# A ZIP member whose name holds terminal escapes (ESC, BEL, a newline) is
# quoted in messages with its control characters escaped, never raw.
. "$SP_ROOT/tests/lib/lib.sh"

python3 - <<'PY'
import zipfile
with zipfile.ZipFile("x.zip", "w") as z:
    z.writestr("a\x1b]0;owned\x07\nsp-import: fake.json", "not json")
    z.writestr("Streaming_History_Audio_2020.json", '[{"ts": "2020-01-01T00:00:00Z", "ms_played": 1}]')
PY
expect_status 0 sp-import -v x.zip
expect_err 'sp-import: x.zip/a\x1b]0;owned\x07\nsp-import: fake.json: skipped: not a JSON array'
expect_eq "stderr lines" 3 "$(wc -l <err)"
if LC_ALL=C grep -q "$(printf '[\033\007]')" err; then
	fail "a control character reached stderr raw"
fi
exit 0
