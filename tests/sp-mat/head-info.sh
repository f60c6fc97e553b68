# sp-mat info and head show the header and rows with labels and names.
. "$SP_ROOT/tests/lib/lib.sh"

printf '%%%%MatrixMarket matrix coordinate real general\n2 3 2\n1 2 0.25\n2 3 4\n' >a.mtx
printf '{"track_id":"a","heard":true}\n{"track_id":"b","heard":false}\n' >l.ndjson
printf '"n"\n"genres=pop"\n"genres#hash7"\n' >c.ndjson
sp-mat from-mtx --labels l.ndjson --colnames c.ndjson a.mtx >a.spm
sp-mat info a.spm >info
printf 'format\tspmat 1\nlayout\tcsr\ndtype\tfloat32\nrows\t2\ncols\t3\nnnz\t2\ndensity\t0.333333\nlabels\tyes\ncolnames\tyes\n' >expect
expect_file expect info
sp-mat head -n 1 <a.spm >head
echo '{"row":0,"label":{"track_id":"a","heard":true},"values":{"genres=pop":0.25}}' >expect
expect_file expect head
sp-mat from-mtx --dense a.mtx | sp-mat head >dense
printf '%s\n' '{"row":0,"label":null,"values":[0,0.25,0]}' '{"row":1,"label":null,"values":[0,0,4]}' >expect
expect_file expect dense
