-- accepted values: the precision is year, month or day and matches the
-- shape of release_date; both are null together.
select track_id, release_date, release_date_precision, release_day
from {{ ref('mart_spotify__merged_tracks') }}
where (release_date is null) <> (release_date_precision is null)
   or (release_date is null) <> (release_day is null)
   or release_date_precision not in ('year', 'month', 'day')
   or length(release_date) <> case release_date_precision
        when 'year' then 4 when 'month' then 7 else 10 end
