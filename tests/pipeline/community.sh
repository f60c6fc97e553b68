# pipeline.sh community: three listeners' runs (a household) recommended
# together; each gets new releases that only the others' signals link to
# it: a track that is in another listener's features alone, or an artist
# that a listener with a shared taste plays.  Bad arguments are refused.
. "$SP_ROOT/tests/lib/lib.sh"
unset PGHOST PGPORT PGUSER PGDATABASE SP_DATABASE_URL
export SP_HOME=$PWD/home SP_NOW=2026-11-30

. "$SP_ROOT/tests/pipeline/community.bash"
# ann plays X and W; bob X and Y; cat Y and V.  The week's releases each
# listener's sp fetched: n1 by Y (bob's and cat's), n2 by Q (nobody's),
# n3 by V (cat's), n4 by X (ann's and bob's).
mkdir -p runs/ann runs/bob runs/cat
{ row a1 X 2025-01-01 true; row a2 X 2025-02-01 true; row a3 W 2025-03-01 true
  row n2 Q 2026-11-27 false; row n4 X 2026-11-26 false; } >runs/ann/features.ndjson
{ row b1 X 2025-01-05 true; row b2 Y 2025-02-05 true; row b3 Y 2025-03-05 true
  row n1 Y 2026-11-28 false; row n4 X 2026-11-26 false; } >runs/bob/features.ndjson
{ row c1 Y 2025-01-09 true; row c2 V 2025-02-09 true; row c3 V 2025-03-09 true
  row n1 Y 2026-11-28 false; row n3 V 2026-11-25 false; } >runs/cat/features.ndjson

expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob cat=runs/cat
expect_grep '^pipeline: community: 3 listeners in hh' err
expect_grep '^pipeline: community: ann: 4 recommendations in hh/lists/ann.ndjson' err

# One row per track; who played it and its artists.
expect_eq rows "a1 a2 a3 b1 b2 b3 c1 c2 c3 n1 n2 n3 n4" "$(jq -r .track_id hh/features.ndjson | paste -sd ' ')"
expect_eq n1 '[] ["bob","cat"]' "$(jq -c 'select(.track_id == "n1") | "\(.heard_by) \(.artist_listeners)"' -r hh/features.ndjson)"
expect_eq a1 '["ann"] ["ann","bob"]' "$(jq -c 'select(.track_id == "a1") | "\(.heard_by) \(.artist_listeners)"' -r hh/features.ndjson)"
expect_eq "history users" "ann bob cat" "$(jq -r .user hh/history.ndjson | uniq | paste -sd ' ')"

list() { jq -r .track_id "hh/lists/$1.ndjson" | paste -sd ' '; }
# ann never played Y and n1 is not in ann's features: bob, who shares X
# with ann, plays Y, so n1 comes before n2 (nobody's) and n3 (V: cat's,
# who shares nothing with ann), whose order is a tie.  n4 (X, ann's own
# artist) comes first.
expect_eq ann "n4 n1" "$(list ann | cut -d " " -f 1-2)"
# bob: his artists first (Y, two of his tracks, before X); then V, which cat (sharing Y) plays, before Q.
expect_eq bob "n1 n4 n3 n2" "$(list bob)"
# cat: V (two of its tracks) and Y first; then X, which bob (sharing Y)
# plays, before Q.
expect_eq cat "n3 n1 n4 n2" "$(list cat)"
expect_eq "recs.ndjson" "12 ann bob cat" \
    "$(jq -r .user hh/recs.ndjson | wc -l) $(jq -r .user hh/recs.ndjson | uniq | paste -sd ' ')"
expect_eq "rerank flags" \
    "$(sed -n 's/^COMMUNITY_RERANK[[:space:]]*=[[:space:]]*//p' "$SP_ROOT/pipelines/backtest/methods.conf") --blend 1" \
    "$(cat hh/.flags/rerank)"

# A rerun with nothing changed redoes nothing; a listener's new features
# redo the stages from the merge on.
stages=$(wc -l <hh/logs/stages.log)
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob cat=runs/cat
expect_eq "rerun" "$stages" "$(wc -l <hh/logs/stages.log)"
touch runs/cat/features.ndjson
expect_status 0 "$SP_ROOT/pipeline.sh" community -o hh ann=runs/ann bob=runs/bob cat=runs/cat
expect_eq "after a change" "features encode svd cosine blend rerank" \
    "$(tail -n +$((stages + 1)) hh/logs/stages.log | paste -sd ' ')"

# The default directory is under SP_HOME.
expect_status 0 "$SP_ROOT/pipeline.sh" community ann=runs/ann bob=runs/bob
expect_eq "default dir" 1 "$(ls home/community | wc -l)"

# Bad arguments: usage errors (2) and a run without features (1).
expect_status 2 "$SP_ROOT/pipeline.sh" community ann=runs/ann
expect_err "pipeline: community: at least two listeners (NAME=RUN_DIR); for one, pipeline.sh recommend"
expect_status 2 "$SP_ROOT/pipeline.sh" community ann=runs/ann runs/bob
expect_err "pipeline: community: 'runs/bob': expected NAME=RUN_DIR, NAME of letters, digits, '.', '_' or '-' (at most 64, first a letter or digit)"
expect_status 2 "$SP_ROOT/pipeline.sh" community ann=runs/ann ann=runs/bob
expect_err "pipeline: community: listener 'ann' named twice"
mkdir -p runs/hourly
expect_status 1 "$SP_ROOT/pipeline.sh" community ann=runs/ann dan=runs/hourly
expect_err "pipeline: community: dan: runs/hourly: no features.ndjson (a run of 'pipeline.sh recommend' or 'run')"
expect_status 2 "$SP_ROOT/pipeline.sh" community -x ann=runs/ann bob=runs/bob
expect_grep '^usage: pipeline.sh community' err
expect_status 0 "$SP_ROOT/pipeline.sh" community -h
expect_grep '^usage: pipeline.sh community' out
