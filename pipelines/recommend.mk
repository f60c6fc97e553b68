# pipelines/recommend.mk: the settings of the recommend stage, read by
# pipelines/run.mk.  A change here reruns only the stages it concerns.
# The backtest measures exactly these settings as its live method
# (pipelines/backtest/run.sh -m live runs pipelines/run.mk with this
# file).  SVD at full rank (it only rotates the encoding, so cosines are
# those of the encoded features); a candidate's content score is the
# mean of its 10 best similarities to the history, plus BLEND_WEIGHT
# times its similarity to the recency-weighted history centroid; the
# rerank adds a little affinity to the candidate's artists.
# An empty RERANK_FLAGS ranks by COSINE_FLAGS alone (no blend).
SPEC               = $(ROOT)/pipelines/encode.json
SVD_FLAGS          = -k 600 --seed 1
# The window of new releases, in days up to NOW: the run's own (the file
# 'days', which pipeline.sh writes from SP_DAYS), else 7.
DAYS               = $(or $(shell cat days 2>/dev/null),7)
COSINE_FLAGS       = --score topk-mean --topk 10 -n 25 --days $(DAYS) --because 3
BLEND_COSINE_FLAGS = --score centroid
BLEND_WEIGHT       = 1
# The rerank adds, for a single listener's own signals (chosen on the
# backtest's live method): a step for a candidate by an artist the
# listener plays (any credited artist), the share of the listener's
# history whose names hold the candidate's title words, and the share of
# the history of its kind (remix, live, acoustic, ...), and how much more
# often the listener's history than the candidates has the candidate's
# catalogue tokens (words of its name, album and artists' names, its
# release weekday; --tokens, chosen on the backtest's tuning cutoffs).
RERANK_FLAGS       = -n 25 --content 1 --artist 0.1 --known 2 --words 2 --kind 0.3 --tokens 0.2
# History weights: lifetime plays times exp(-days since the last play / tau).
HISTORY_TAU_DAYS   = 180
# Named in the published playlist's description.
METHOD             = cosine (top-10 mean + centroid) on SVD embeddings, reranked by artist affinity
