-- Purpose: cases on the map (issue 23): the positions, states and overdue flags of the cases the
--          caller may read, as columns for a point layer (the map colours them by state and rings
--          the overdue ones; the database decides what is overdue, against now()).
-- Tables: none.
-- Functions: case_points (new).
-- Destructive: none.

create function case_points() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'ids', coalesce(jsonb_agg(c.id order by c.reported_at, c.id), '[]'),
    'lng', coalesce(jsonb_agg(round(ST_X(c.geom)::numeric, 7) order by c.reported_at, c.id), '[]'),
    'lat', coalesce(jsonb_agg(round(ST_Y(c.geom)::numeric, 7) order by c.reported_at, c.id), '[]'),
    'states', coalesce(jsonb_agg(c.state order by c.reported_at, c.id), '[]'),
    'overdue', coalesce(jsonb_agg(c.state in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered')
                                  and c.deadline_at < now() order by c.reported_at, c.id), '[]'))
  from cases c
$$;
comment on function case_points() is
  'The cases the caller may read (RLS) as columns for the map: {ids, lng, lat, states, overdue}, oldest first; overdue decided against now().';
revoke all on function case_points() from public, anon;
grant execute on function case_points() to authenticated, service_role;
