# Usage errors exit 2.
. "$SP_ROOT/tests/lib/lib.sh"
expect_status 2 sp-publish --date 2026-13-01 --offline
expect_err "sp-publish: --date: not a date (YYYY-MM-DD): '2026-13-01'"
expect_status 2 sp-publish --id 'a/b' --offline
expect_err "sp-publish: --id: not a Spotify playlist id: 'a/b'"
expect_status 2 sp-publish --name '' --offline
expect_err "sp-publish: --name: 1 to 100 characters, got 0"
expect_status 2 sp-publish a b
expect_grep '^usage: sp-publish ' err
expect_status 0 sp-publish -h
expect_grep '^usage: sp-publish ' out
