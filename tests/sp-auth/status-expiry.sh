# status warns when the refresh token (6 months after consent) has under 14
# days left, and exits 4 so that scripts (pipeline.sh status) see it; past
# its expiry it says so in the past tense and exits 5; 0 is a healthy token.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/lib/sim.sh"
start_sim
sim_tokens
tokens=$XDG_CONFIG_HOME/sp/tokens.json
# consent TARGET_DAYS: sets consented_at so that the refresh token expires
# TARGET_DAYS days and 12 hours from now (6 calendar months after consent),
# and prints the expiry date.
consent() {
	python3 - "$1" "$tokens" <<'PY'
import datetime as d, json, sys
def expiry(c):    # as sp_auth_refresh_expiry: month + 6, day overflow rolls on
    t = d.datetime.fromtimestamp(c, d.timezone.utc)
    y, m = (t.year, t.month + 6) if t.month <= 6 else (t.year + 1, t.month - 6)
    return d.datetime(y, m, 1, t.hour, t.minute, t.second, tzinfo=d.timezone.utc) + d.timedelta(days=t.day - 1)
target = d.datetime.now(d.timezone.utc) + d.timedelta(days=int(sys.argv[1]), hours=12)
c = (target - d.timedelta(days=183)).timestamp()
for _ in range(3):
    c += (target - expiry(c)).total_seconds()
t = json.load(open(sys.argv[2]))
t["consented_at"] = int(c)
json.dump(t, open(sys.argv[2], "w"))
print(expiry(int(c)).strftime("%Y-%m-%d"))
PY
}
exp=$(consent 10)
expect_status 4 sp-auth status
expect_eq expiry "refresh token expires: $exp (10 days left)" "$(sed -n 3p out)"
expect_err "sp-auth: the refresh token expires in 10 days ($exp)"
expect_eq hint "sp-auth: hint: run 'sp-auth login' again before then" "$(sed -n 2p err)"
# 20 days left: no warning.
consent 20 >/dev/null
expect_status 0 sp-auth status
expect_eq 'no warning' 0 "$(wc -c <err)"
# --offline asks Spotify nothing: the same expiry with the simulator stopped.
exp=$(consent 10)
stop_sim
expect_status 3 sp-auth status
expect_status 4 sp-auth status --offline
expect_eq user "user: (not asked: --offline)" "$(sed -n 1p out)"
expect_eq expiry "refresh token expires: $exp (10 days left)" "$(sed -n 3p out)"
expect_err "sp-auth: the refresh token expires in 10 days ($exp)"

# Less than a day left: no "0 days".
exp=$(consent 0)
expect_status 4 sp-auth status --offline
expect_eq expiry "refresh token expires: $exp (less than a day left)" "$(sed -n 3p out)"
expect_err "sp-auth: the refresh token expires in less than a day ($exp)"
# Past the expiry (190 days after consent): worded as past, exit 5.
exp=$(consent -7)
expect_status 5 sp-auth status --offline
expect_eq expired "refresh token expired: $exp (6 days ago)" "$(sed -n 3p out)"
expect_err "sp-auth: the refresh token expired on $exp: run 'sp-auth login' again"
expect_eq 'one line' 1 "$(wc -l <err)"
# Without --offline the same, and Spotify is not asked: GET /me could only
# end in invalid_grant and hide what to do.
start_sim
sim_tokens
exp=$(consent -7)
expect_status 5 sp-auth status
expect_eq user "user: (not asked: the refresh token has expired)" "$(sed -n 1p out)"
expect_err "sp-auth: the refresh token expired on $exp: run 'sp-auth login' again"
expect_eq 'GET /me' 0 "$(sim_count GET /me)"
# A healthy token: exit 0.
consent 100 >/dev/null
expect_status 0 sp-auth status
expect_eq 'no warning' 0 "$(wc -c <err)"
expect_grep '^user: ' out
