#!/usr/bin/env bash
# Only ref(), source(), config() and var() are Jinja here: anything else,
# and a bad use of these, is an error naming the file and line.
. "$SP_ROOT/tests/lib/lib.sh"
mkdir -p proj/models
cat >proj/models/sources.yml <<'YML'
version: 2
sources:
  - name: spotify
    schema: raw
    tables:
      - name: plays
YML
echo "select 1 as x" >proj/models/base.sql

check() {	# check "SQL" "ERROR AFTER proj/models/m.sql:"
	printf 'select 1\n-- line 2\n%s\n' "$1" >proj/models/m.sql
	expect_status 1 sp-model list --project proj
	expect_err "sp-model: proj/models/m.sql:3: $2"
}
check "from {{ is_incremental() }}" \
	"unsupported Jinja '{{ is_incremental() }}': only ref(), source(), config() and var() are allowed"
check "{{ this }}" "unsupported Jinja '{{ this }}': only ref(), source(), config() and var() are allowed"
check "{% if true %} x {% endif %}" \
	"Jinja statements ('{%') are not supported: only ref(), source(), config() and var() are allowed"
check "from {{ ref('nope') }}" "ref to unknown model 'nope'"
check "from {{ ref(base) }}" "bad call '{{ ref(base) }}': expected ref('model')"
check "from {{ source('spotify', 'nope') }}" "unknown source 'spotify.nope' (not declared in models/*.yml)"
check "{{ config(materialized='incremental') }}" \
	"materialized='incremental' is not supported: use 'view' or 'table'"
check "{{ config(schema='x') }}" \
	"bad call '{{ config(schema='x') }}': expected config(materialized='view') or config(materialized='table')"
check "from {{ ref('base') " "unterminated '{{'"

# A comment spanning lines keeps the line numbers of what follows.
printf '{# two\nlines #}\n{{ nope() }}\n' >proj/models/m.sql
expect_status 1 sp-model list --project proj
expect_err "sp-model: proj/models/m.sql:3: unsupported Jinja '{{ nope() }}': only ref(), source(), config() and var() are allowed"

# var() without a default must be set.
printf 'select\n  {{ var("x") }} as x\n' >proj/models/m.sql
expect_status 1 sp-model compile m --project proj
expect_err "sp-model: proj/models/m.sql:2: var 'x' is not set and has no default"
expect_status 0 sp-model compile m --project proj --var x=42
printf 'select\n  42 as x\n' >expected
expect_file expected out

# What is rendered: relations quoted in the schema, config gone, lines kept.
printf "{{ config(materialized='table') }}\nselect * from {{ ref('base') }}\njoin {{ source(\"spotify\", \"plays\") }} on true\n" >proj/models/m.sql
expect_status 0 sp-model compile m --project proj --schema s2
printf '\nselect * from "s2"."base"\njoin "raw"."plays" on true\n' >expected
expect_file expected out
