-- other_plays.merge.sql: episodes, audiobook chapters and videos of an
-- object; a play already loaded (same kind, time, URI and ms_played) is
-- kept as is.
insert into raw.other_plays (kind, played_at, uri, name, show_name, ms_played,
    payload, object, line)
select kind, played_at, uri, name, show_name, ms_played, payload, object, line
from load_other_plays
order by line
on conflict do nothing;
