#!/usr/bin/env bash
# needs: pg
# A role without CREATE on the database works in schemas raw and analytics
# a DBA made for it: the tools check pg_namespace rather than run "create
# schema if not exists", which needs that right even when the schema
# exists.  Without the schemas, exit 1 and a hint saying what to create.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
need_pg
export SP_HOME=$PWD/home
role=${PGDATABASE}_own
sql "create role $role login; revoke create on database $PGDATABASE from public"

PGUSER=$role expect_status 1 sp-model run -q
expect_err "sp-model: SQL error: permission denied for database $PGDATABASE"
expect_eq "the hint" "sp-model: hint: role '$role' may not create schemas in database '$PGDATABASE': a DBA can create them for it (create schema raw authorization \"$role\"; create schema analytics authorization \"$role\")" \
    "$(sed -n 2p err)"

sql "create schema raw authorization $role; create schema analytics authorization $role"
PGUSER=$role expect_status 0 sp-model run -q
PGUSER=$role expect_status 0 sp-model run -q
expect_q "select count(*) from raw.schema_migrations" "$(ls "$SP_ROOT"/schemas/migrations/[0-9]*.sql | wc -l)"
expect_q "select nspowner::regrole from pg_namespace where nspname = 'raw'" "$role"

# sp-load migrates too, as that role.
api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.000Z | sp-stage plays >/dev/null
PGUSER=$role expect_status 0 sp-load
expect_q "select count(*) from raw.plays" 1
exit 0
