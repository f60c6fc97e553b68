#!/usr/bin/env bash
# A dependency cycle among models is an error naming the cycle, before
# anything is built.
. "$SP_ROOT/tests/lib/lib.sh"
mkdir -p proj/models
echo "select * from {{ ref('b') }}" >proj/models/a.sql
echo "select * from {{ ref('c') }}" >proj/models/b.sql
echo "select * from {{ ref('a') }}" >proj/models/c.sql
echo "select 1 as x" >proj/models/d.sql
expect_status 1 sp-model list --project proj
expect_err "sp-model: dependency cycle: a -> b -> c -> a"
expect_status 1 sp-model run --project proj
expect_err "sp-model: dependency cycle: a -> b -> c -> a"

# Without the cycle the order follows the refs, ties by name.
echo "select 1 as x" >proj/models/c.sql
expect_status 0 sp-model list --project proj
printf 'c\tview\t\nb\tview\tc\na\tview\tb\nd\tview\t\n' >expected
expect_file expected out
