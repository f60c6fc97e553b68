#!/usr/bin/env bash
# needs: pg
# Each model is built in a transaction and swapped in: a model whose SQL
# fails keeps its previous relation and data, the error names the model's
# file and line; --select rebuilds the downstream models its swap drops;
# a change of materialization replaces a view by a table.
. "$SP_ROOT/tests/lib/lib.sh"
need_pg
mkdir -p proj/models
echo "select 1 as x" >proj/models/a.sql
printf "{{ config(materialized='table') }}\nselect x + 1 as y from {{ ref('a') }}\n" >proj/models/b.sql
echo "select y * 10 as z from {{ ref('b') }}" >proj/models/c.sql
expect_status 0 sp-model run --project proj --schema s
sed 's/ ([0-9]* ms)$//' out >got
printf 'built view s.a\nbuilt table s.b: 1 rows\nbuilt view s.c\n' >expected
expect_file expected got
expect_status 0 psql -X -A -t -c "select z from s.c"
expect_eq "c" "20" "$(cat out)"

# A failing model: rolled back, the old table stays, the run stops.
printf "{{ config(materialized='table') }}\nselect x + 1 as y,\n  nope\nfrom {{ ref('a') }}\n" >proj/models/b.sql
expect_status 1 sp-model run -q --project proj --schema s
expect_err "sp-model: proj/models/b.sql:3: SQL error: column \"nope\" does not exist"
expect_grep "hint: model 'b' not built" err
expect_status 0 psql -X -A -t -c "select y from s.b"
expect_eq "b kept" "2" "$(cat out)"
expect_status 0 psql -X -A -t -c "select count(*) from pg_class where relname like '%__sp_new'"
expect_eq "no leftover" "0" "$(cat out)"

# --select a rebuilds a and everything downstream of it (b would be stale,
# c's view is dropped with b), not the unrelated d.
printf "{{ config(materialized='table') }}\nselect x + 2 as y from {{ ref('a') }}\n" >proj/models/b.sql
echo "select 5 as w" >proj/models/d.sql
expect_status 0 sp-model run --project proj --schema s
expect_status 0 sp-model run --project proj --schema s --select a
sed 's/ ([0-9]* ms)$//' out >got
printf 'built view s.a\nbuilt table s.b: 1 rows\nbuilt view s.c\n' >expected
expect_file expected got
expect_status 0 psql -X -A -t -c "select z from s.c"
expect_eq "c" "30" "$(cat out)"

# +c: c and what it reads from.
expect_status 0 sp-model list --project proj --select +c
printf 'a\tview\t\nb\ttable\ta\nc\tview\tb\n' >expected
expect_file expected out

# view -> table.
printf "{{ config(materialized='table') }}\nselect 1 as x\n" >proj/models/a.sql
expect_status 0 sp-model run -q --project proj --schema s
expect_status 0 psql -X -A -t -c "select relkind from pg_class where relname = 'a'"
expect_eq "a's kind" "r" "$(cat out)"
