#!/usr/bin/env bash
# needs: pg
# Skip inference at its edges (rules in int_spotify__plays): API plays by
# the gap to the next play against 0.8 x duration, export plays by skipped,
# reason_end and ms_played (with nothing else, as an account-data play of
# an unresolved track, 30 s either way); worked out by hand for 200 s tracks.
. "$SP_ROOT/tests/lib/lib.sh"
. "$SP_ROOT/tests/sp-model/lib.bash"
models_db

sql "select t_track('A', '{a1}', 'al1', '2020-01-01', 200000);
     select t_track('B', '{a1}', 'al1', '2020-01-01', null);
     select t_track('C', '{a1}', 'al1', '2020-01-01', 200000);
     select t_track('D', '{a1}', 'al1', '2020-01-01', 200000);
     -- API plays: gap exactly 0.8 x duration, 1 s less, long, no duration,
     -- zero gap, and the last play (no next play).
     select t_api('A', '2026-05-10 10:00:00+00', 200000);
     select t_api('A', '2026-05-10 10:02:40+00', 200000);
     select t_api('A', '2026-05-10 10:05:19+00', 200000);
     select t_api('B', '2026-05-10 12:00:00+00');
     select t_api('A', '2026-05-10 12:00:30+00', 200000);
     select t_api('C', '2026-05-10 12:00:30+00', 200000);
     -- Export plays (ts is the end): each rule in turn; E is not catalogued.
     select t_export('D', '2026-05-01 01:00:00+00', 200000, 'trackdone', true);
     select t_export('D', '2026-05-01 02:00:00+00', 10000, 'trackdone');
     select t_export('D', '2026-05-01 03:00:00+00', 100000, 'endplay');
     select t_export('D', '2026-05-01 04:00:00+00', 190000, 'fwdbtn');
     select t_export('E', '2026-05-01 05:00:00+00', 100000, 'fwdbtn');
     select t_export('E', '2026-05-01 06:00:00+00', 20000, 'endplay');
     select t_export('E', '2026-05-01 07:00:00+00', 60000, 'endplay', false);
     select t_export('E', '2026-05-01 08:00:00+00', 60000, 'endplay');
     -- Only the time played (account data): F is not catalogued either.
     select t_export('F', '2026-05-01 09:00:00+00', 29999, null);
     select t_export('F', '2026-05-01 10:00:00+00', 30000, null);"

expect_status 0 sp-model run -q --var as_of=2026-06-01
# gap_ms is from a play's start to the next one's; an export play starts
# ms_played before its ts (D at 01:00 after 200 s started 00:56:40, the
# next at 02:00 after 10 s started 01:59:50: 3790 s).
expect_q "select track_id, source, coalesce(skip_method, '-'), coalesce(skipped::text, '-'),
                 coalesce(share_listened::text, '-'), coalesce(gap_ms::text, '-')
          from analytics.int_spotify__plays order by started_at, play_id" \
"D|export|export|true|1.000000|3790000
D|export|export|false|0.050000|3510000
D|export|export|true|0.500000|3510000
D|export|export|false|0.950000|3690000
E|export|export|true|-|3680000
E|export|export|true|-|3560000
E|export|export|false|-|3600000
E|export|export|false|-|3630001
F|export|export|true|-|3599999
F|export|export|false|-|777630000
A|api|gap|false|0.800000|160000
A|api|gap|true|0.795000|159000
A|api|gap|false|1.000000|6881000
B|api|-|-|-|30000
A|api|-|-|-|0
C|api|-|-|-|-"

expect_q "select track_id, play_count_lifetime, skip_known_count, skip_count_lifetime,
                 skip_rate_lifetime, avg_share_listened
          from analytics.int_spotify__skip_rates order by track_id" \
"A|4|3|1|0.333333|0.865000
B|1|0|0||
C|1|0|0||
D|4|4|2|0.500000|0.625000
E|4|4|2|0.500000|
F|2|2|1|0.500000|"

# Listens are the plays of 30 s or more (every API play): D's 10 s, E's
# 20 s and F's 29.999 s play count as skips above, not as listens.
expect_q "select track_key, listen_count_lifetime from analytics.int_spotify__track_listens order by 1" \
"A|4
B|1
C|1
D|3
E|3
F|1"
