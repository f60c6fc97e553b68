#!/usr/bin/env bash
# needs: pg
# --query FILE replaces the default query; its columns become the members
# in order, and it may use ref() like a model.  A failing query exits 1;
# reading a mart never built says how to build it.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
need_pg
expect_status 1 sp-features
expect_grep 'relation "analytics.mart_spotify__merged_tracks" does not exist' err
expect_grep '^sp-features: hint: build the mart first (sp-model run), or pass --as-of DATE$' err

models_db
sql "select t_track('A', '{a1}', 'al', '2019', 200000);
     select t_track('B', '{a1}', 'al', '2019', 100000);"
expect_status 0 sp-model run -q
cat >q.sql <<'SQL'
select track_id, duration_ms / 1000 as seconds, array[1, 2] as xs
from {{ ref('mart_spotify__merged_tracks') }}
order by duration_ms;
SQL
expect_status 0 sp-features --query q.sql
printf '%s\n' '{"track_id":"B","seconds":100,"xs":[1,2]}' '{"track_id":"A","seconds":200,"xs":[1,2]}' >expected
expect_file expected out

printf 'select nope\nfrom {{ ref("mart_spotify__merged_tracks") }}\n' >bad.sql
expect_status 1 sp-features --query bad.sql
expect_grep 'column "nope" does not exist' err
printf 'select {{ this }}\n' >bad.sql
expect_status 1 sp-features --query bad.sql
expect_err "sp-features: bad.sql:1: unsupported Jinja '{{ this }}': only ref(), source(), config() and var() are allowed"
expect_status 1 sp-features --query missing.sql
expect_err "sp-features: missing.sql: No such file or directory"
