#!/usr/bin/env bash
# The queries outside the models (pipelines/queries/*.sql, run by
# pipeline.sh) are rendered as the models are: each compiles against the
# project, and a query naming a model or source that does not exist fails
# with its file and line, before any database sees it.
. "$SP_ROOT/tests/lib/lib.sh"
n=0
for f in "$SP_ROOT"/pipelines/queries/*.sql; do
	expect_status 0 sp-model compile "$f"
	! grep -q '{{' out || fail "$f: Jinja left after rendering"
	n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "only $n queries found"
# pipeline.sh runs no SQL of its own on the models or raw tables but these.
! grep -n 'from raw\.\(tracks\|artists\)\|analytics\.int_' "$SP_ROOT/pipeline.sh" ||
    fail "pipeline.sh queries the models directly: put the query in pipelines/queries"
sed "s/ref('int_spotify__resolutions')/ref('int_spotify__resolution')/" \
    "$SP_ROOT/pipelines/queries/resolve-pairs.sql" >broken.sql
expect_status 1 sp-model compile broken.sql
expect_grep "^sp-model: broken.sql:5: " err
expect_grep "int_spotify__resolution'" err
