# pipelines/recommend.mk: the settings of the recommend stage, read by
# pipelines/run.mk.  A change here reruns only the stages it concerns.
SPEC          = $(ROOT)/pipelines/encode.json
SVD_FLAGS     = -k 100 --variance 0.95 --seed 1
COSINE_FLAGS  = --score max -n 25 --days 7 --because 3
