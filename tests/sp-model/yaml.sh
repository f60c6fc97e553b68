#!/usr/bin/env bash
# models/*.yml are read as YAML (libyaml): flow style, quoted keys and
# values, anchors and merge keys, multi-line descriptions and comments
# anywhere all work; a mistake is an error naming the file and line.
. "$SP_ROOT/tests/lib/lib.sh"
mkdir -p proj/models
cat >proj/models/sources.yml <<'YML'
# A comment before anything.
version: 2
x-defaults: &raw   # an anchor, merged below
  schema: raw
sources:
  - <<: *raw
    name: spotify   # the schema comes from the anchor
    description: >
      Two lines of description,
      with: a colon and a # that is text.
    tables: [ {name: plays}, {"name": tracks, identifier: "tracks"} ]
  - {name: 'other', "schema": "raw2",
     tables: [{name: albums, description: "quoted: colon"}]}
  - name: third
    tables:
      # A comment between items.
      - name: artists
        identifier: artist_rows
        columns:
          - name: id
            tests: [unique, not_null]
YML
cat >proj/models/m.sql <<'SQL'
select * from {{ source('spotify', 'plays') }}
join {{ source("spotify", "tracks") }} on true
join {{ source('other', 'albums') }} on true
join {{ source('third', 'artists') }} on true
SQL
expect_status 0 sp-model compile m --project proj
cat >expected <<'SQL'
select * from "raw"."plays"
join "raw"."tracks" on true
join "raw2"."albums" on true
join "third"."artist_rows" on true
SQL
expect_file expected out

# Mistakes name the line.
bad() {	# bad 'YAML' 'MESSAGE AFTER sources.yml:'
	printf '%s\n' "$1" >proj/models/sources.yml
	expect_status 1 sp-model list --project proj
	expect_err "sp-model: proj/models/sources.yml:$2"
}
bad $'sources:\n  - name: s\n    tables:\n      - identifier: x' "4: a table of source 's' has no name"
bad $'sources:\n  - tables: []' "2: a source needs a name"
bad 'sources: 7' "1: 'sources' is not a list"
bad $'sources:\n  - name: s\n    tables:\n      - name: a\n        identifier: "a b"' \
	"4: source 's.a': 's.a b' is not a plain schema.table name"
bad $'sources:\n  - name: s\n    schema: *nowhere' "3: found undefined alias"
bad $'a: b\n\tc: d' "2: found a tab character that violates indentation while scanning a plain scalar"
