-- status-resolutions: pipeline.sh status's line on account-data plays
-- (none when there are none); fails while the models are not built.
select '  account-data plays: '
    || coalesce(sum(plays) filter (where status = 'resolved'), 0) || ' resolved, '
    || coalesce(sum(plays) filter (where status = 'pending'), 0) || ' pending, '
    || coalesce(sum(plays) filter (where status = 'unresolvable'), 0) || ' unresolvable'
from {{ ref('int_spotify__resolutions') }}
having count(*) > 0
