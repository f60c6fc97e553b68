-- status-counts: the row counts pipeline.sh status shows, one line each.
select '  ' || rpad(t, 22) || n
from (
    select 1 as k, 'plays' as t, count(*) as n from {{ source('spotify', 'plays') }} where dup_of is null
    union all
    select 2, 'plays (duplicates)', count(*) from {{ source('spotify', 'plays') }} where dup_of is not null
    union all
    select 3, 'tracks', count(*) from {{ source('spotify', 'tracks') }}
    union all
    select 4, 'artists', count(*) from {{ source('spotify', 'artists') }}
    union all
    select 5, 'objects loaded', count(*) from {{ source('spotify', 'load_ledger') }}
    union all
    select 6, 'rejected rows', count(*) from {{ source('spotify', 'rejects') }}
) x
order by k
