#!/usr/bin/env bash
# needs: pg
# sp-report's queries name the models through ref(), rendered as the
# models are: a model the project no longer has stops the report with the
# model's name, instead of quietly emptying a section.
. "$SP_ROOT/tests/sp-report/lib.bash"
report_db
models
expect_status 0 sp-report --now "$NOW" -o report.html
mkdir share
cp -r "$SP_ROOT/pipelines" "$SP_ROOT/schemas" share/
mv share/pipelines/models/intermediate/int_spotify__track_listens.sql \
    share/pipelines/models/intermediate/int_spotify__track_plays.sql
SP_SHARE=$PWD/share expect_status 1 sp-report --now "$NOW" -o renamed.html
expect_grep "int_spotify__track_listens" err
[ ! -e renamed.html ] || fail "a report was written without a section's model"
