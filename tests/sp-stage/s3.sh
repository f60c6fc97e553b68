# sp-stage: an S3 store (s3rver on loopback, SigV4 by libcurl) gets the
# same object a local store would, once; a refused key is exit 3.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/stage.sh"
export SP_HOME=$PWD/home
start_s3

api_play 3n3Ppam7vgaVa1iaRUc9Lp 2026-11-20T08:00:00.123Z >in.ndjson
echo '{"kind":"play"}' >>in.ndjson
expect_status 1 sp-stage --store s3://sp/team/ plays in.ndjson
name=$(cat out)
expect_grep "^sp-stage: 1 of 2 records rejected; see s3://sp/team/plays/rejects/" err
SP_STAGE_URL=s3://sp/team expect_status 1 sp-stage plays in.ndjson
expect_eq "same name" "$name" "$(cat out)"
sp-stage --store local plays in.ndjson >local.name 2>/dev/null
expect_eq "local name" "$name" "$(cat local.name)"

# What the server holds: the object, byte for byte, and the rejects file.
curl -sf --aws-sigv4 aws:amz:us-east-1:s3 -u S3RVER:S3RVER \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
    "$SP_S3_ENDPOINT/sp/team/$(echo "$name" | sed 's/=/%3D/')" >got.gz || fail "GET failed"
cmp got.gz "local/$name" || fail "S3 object differs from the local one"
curl -sf --aws-sigv4 aws:amz:us-east-1:s3 -u S3RVER:S3RVER \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
    "$SP_S3_ENDPOINT/sp?list-type=2&prefix=team/" >list.xml
expect_eq "keys" 2 "$(grep -o '<Key>[^<]*</Key>' list.xml | wc -l)"

AWS_ACCESS_KEY_ID=NOBODY expect_status 3 sp-stage --store s3://sp/team plays in.ndjson
expect_grep "^sp-stage: s3://sp/team: HEAD team/plays/dt=2026-11-20/.*: HTTP 403" err
AWS_ACCESS_KEY_ID= expect_status 2 sp-stage --store s3://sp plays in.ndjson
expect_err "sp-stage: s3://sp: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set"
