# /authorize checks the redirect URI (loopback IP or https; not localhost)
# and redirects with a code; /api/token checks the PKCE verifier, spends a
# code once, and refreshes.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim
verifier=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary 2>/dev/null | base64 | tr '+/' '-_' | tr -d '=\n')
[ -n "$challenge" ] || challenge=$(python3 -c 'import base64,hashlib,sys; print(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode().rstrip("="))' "$verifier")
auth() {	# auth REDIRECT: the status, Location in loc.txt
	curl -sS -o body.txt -w '%{http_code} %{redirect_url}' "$SIM_URL/authorize?client_id=c&response_type=code&redirect_uri=$1&code_challenge_method=S256&code_challenge=$challenge&state=s1&scope=user-read-recently-played"
}
set -- $(auth http://localhost:9/callback)
expect_eq 'localhost rejected' 400 "$1"
expect_eq 'why' 'INVALID_CLIENT: Insecure redirect URI' "$(cat body.txt)"
set -- $(auth http://127.0.0.1:9/callback)
expect_eq 'loopback accepted' 302 "$1"
case $2 in http://127.0.0.1:9/callback\?code=*\&state=s1) ;; *) fail "bad redirect: $2" ;; esac
code=${2#*code=}
code=${code%%&*}
tok() { curl -sS -o tok.json -w '%{http_code}' "$SIM_URL/api/token" "$@"; }
expect_eq 'wrong verifier' 400 "$(tok -d grant_type=authorization_code -d code="$code" -d redirect_uri=http://127.0.0.1:9/callback -d client_id=c -d code_verifier=wrong)"
expect_eq 'error' invalid_grant "$(jq -r .error tok.json)"
set -- $(auth http://127.0.0.1:9/callback)
code=${2#*code=}
code=${code%%&*}
expect_eq 'right verifier' 200 "$(tok -d grant_type=authorization_code -d code="$code" -d redirect_uri=http://127.0.0.1:9/callback -d client_id=c -d code_verifier="$verifier")"
expect_eq 'token answer' '["access_token","expires_in","refresh_token","scope","token_type"]' "$(jq -c keys tok.json)"
rt=$(jq -r .refresh_token tok.json)
expect_eq 'code spent' 400 "$(tok -d grant_type=authorization_code -d code="$code" -d redirect_uri=http://127.0.0.1:9/callback -d client_id=c -d code_verifier="$verifier")"
expect_eq 'refresh' 200 "$(tok -d grant_type=refresh_token -d refresh_token="$rt" -d client_id=c)"
expect_eq 'no rotation by default' null "$(jq -r .refresh_token tok.json)"
expect_eq 'bad refresh token' 400 "$(tok -d grant_type=refresh_token -d refresh_token=nope -d client_id=c)"
expect_eq 'error' invalid_grant "$(jq -r .error tok.json)"
