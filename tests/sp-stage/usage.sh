# sp-stage: usage errors exit 2; -h prints the usage; an unknown dataset
# names the schema it looked for.
. "$SP_ROOT/tests/lib/lib.sh"
export SP_HOME=$PWD/home

expect_status 0 sp-stage -h
expect_grep '^usage: sp-stage \[-v\] \[--store URL\] DATASET \[FILE\]$' out
expect_status 2 sp-stage --bogus plays
expect_grep '^usage: sp-stage' err
expect_status 2 sp-stage
expect_status 2 sp-stage nosuch </dev/null
expect_grep "^sp-stage: unknown dataset 'nosuch': no .*schemas/nosuch.schema.json$" err
expect_status 2 sp-stage ../plays </dev/null
expect_err "sp-stage: '../plays': not a dataset name (letters, digits, '_', '-')"
expect_status 2 sp-stage --store ftp://x plays </dev/null
expect_err "sp-stage: ftp://x: unsupported store URL (a directory, file://DIR or s3://BUCKET/PREFIX)"
expect_status 0 sp-stage --version
expect_grep '^sp-stage ' out
