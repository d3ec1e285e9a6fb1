-- Purpose: the grid worker's home screen (issue 24). my_cells gives the caller's own cells (the
--          ones assigned to them in worker_cells) with what a worker plans their day by: class,
--          community, box and a point inside, open and overdue cases, events in the last 7 days
--          and the latest event, risk index (cell_risk_indexes) and the latest patrol, of what
--          the caller may read (row level security).
-- Functions: my_cells (new).
-- Tables: none.
-- Destructive: none.
create function my_cells() returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_open constant text[] := '{reported,registered,escalated,dispatched,in_progress,answered}';
begin
  if app_role() not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members have cells of their own';
  end if;
  return (
    with mine as (
      select c.code, c.name, c.class, c.geom, a.name community_name
      from worker_cells w
      join cells c on c.code = w.cell_code and c.valid_to is null
      left join admin_areas a on a.code = c.community_code
      where w.user_id = auth.uid()
    ), open_counts as (
      select o.cell_code, count(*) open_cases, count(*) filter (where o.deadline_at < now()) overdue,
             min(o.deadline_at) filter (where o.deadline_at is not null) next_deadline
      from cases o join mine m on m.code = o.cell_code
      where o.state = any (v_open) group by o.cell_code
    ), event_counts as (
      select e.cell_code, count(*) filter (where e.occurred_at >= now() - interval '7 days') week, max(e.occurred_at) last_at
      from events e join mine m on m.code = e.cell_code
      where e.occurred_at <= now() group by e.cell_code
    ), last_patrols as (
      select distinct on (p.cell_code) p.cell_code, p.started_at, p.ended_at, p.worker_name
      from patrols p join mine m on m.code = p.cell_code
      order by p.cell_code, p.started_at desc, p.id
    )
    select coalesce(jsonb_agg(jsonb_build_object(
             'code', m.code, 'name', m.name, 'class', m.class, 'communityName', m.community_name,
             'bbox', jsonb_build_array(ST_XMin(m.geom), ST_YMin(m.geom), ST_XMax(m.geom), ST_YMax(m.geom)),
             'lngLat', jsonb_build_array(ST_X(ST_PointOnSurface(m.geom)), ST_Y(ST_PointOnSurface(m.geom))),
             'openCases', coalesce(oc.open_cases, 0), 'overdue', coalesce(oc.overdue, 0), 'nextDeadline', oc.next_deadline,
             'eventsWeek', coalesce(ec.week, 0), 'lastEventAt', ec.last_at,
             'riskIndex', round(coalesce(r.risk_index, 0)::numeric, 2),
             'lastPatrol', case when lp.cell_code is null then null else jsonb_build_object(
                             'startedAt', lp.started_at, 'endedAt', lp.ended_at, 'workerName', lp.worker_name) end)
             order by m.code), '[]')
    from mine m
    left join open_counts oc on oc.cell_code = m.code
    left join event_counts ec on ec.cell_code = m.code
    left join cell_risk_indexes() r on r.code = m.code
    left join last_patrols lp on lp.cell_code = m.code
  );
end
$$;
comment on function my_cells() is
  'The caller''s own cells (worker_cells, current cells only) for the grid worker''s home screen, of what the caller may read (RLS): code, name, class, communityName, bbox [west, south, east, north], lngLat (a point inside), openCases and overdue (deadline passed), nextDeadline (the nearest deadline of its open cases), eventsWeek (the last 7 days) and lastEventAt, riskIndex (cell_risk_indexes, 0 without events or hazard sites), lastPatrol {startedAt, endedAt, workerName} or null. Ordered by code; empty for members with no cells assigned.';
revoke all on function my_cells() from public, anon;
grant execute on function my_cells() to authenticated, service_role;
