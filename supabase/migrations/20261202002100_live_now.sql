-- Purpose: the command centre's "now" view (issue 24): live_now returns, for what the caller
--          may read (row level security: a grid worker sees their cells, a department its
--          cases), today's events and cases, the open cases by their cell's class, the overdue
--          ones by stage, the whistle calls awaiting acknowledgement, this month's three
--          complaint rates, the cells with the highest risk index and a feed of the latest
--          changes (events recorded, case steps, whistles blown), each with its position for the
--          map. "Today" and "this month" are days of the case working time's time zone.
--          In supabase mode the tables the live views follow join the supabase_realtime
--          publication, where it exists (Supabase), so Realtime tells the browsers.
-- Functions: live_now (new).
-- Tables: none created; cases, case_trace, case_whistles, whistle_calls, events and cells are
--         added to the publication supabase_realtime when there is one.
-- Destructive: none.

create function live_now(p_feed_limit integer default 30) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_role text := app_role();
  v_zone text := coalesce((select w.time_zone from case_working_time w limit 1), 'Asia/Shanghai');
  v_local timestamp;
  v_day_start timestamptz;
  v_month_start timestamptz;
  v_month_end timestamptz;
  v_open constant text[] := '{reported,registered,escalated,dispatched,in_progress,answered}';
  v_rates jsonb;
  v_result jsonb;
begin
  if v_role not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members read the live view';
  end if;
  if p_feed_limit is null or p_feed_limit < 1 or p_feed_limit > 200 then
    raise exception using errcode = '22023', message = format('p_feed_limit must be 1 to 200, not %s', p_feed_limit);
  end if;
  v_local := now() at time zone v_zone;
  v_day_start := date_trunc('day', v_local) at time zone v_zone;
  v_month_start := date_trunc('month', v_local) at time zone v_zone;
  v_month_end := (date_trunc('month', v_local) + interval '1 month') at time zone v_zone;

  -- The district's three rates this month: the streets' counts summed (every complaint inside
  -- the district has a street), the rates made as complaint_rates makes them.
  select jsonb_build_object(
           'complaints', coalesce(sum((r ->> 'complaints')::int), 0),
           'responseRate', round(sum((r ->> 'responded')::numeric) / nullif(sum((r ->> 'due')::numeric), 0), 4),
           'resolutionRate', round(sum((r ->> 'solved')::numeric) / nullif(sum((r ->> 'rated')::numeric), 0), 4),
           'satisfactionRate', round((sum((r ->> 'satisfied')::numeric) * (x -> 'rules' ->> 'satisfiedWeight')::numeric
                                      + sum((r ->> 'basicallySatisfied')::numeric) * (x -> 'rules' ->> 'basicallySatisfiedWeight')::numeric)
                                     / nullif(sum((r ->> 'rated')::numeric), 0), 4))
  into v_rates
  from (select complaint_rates('street', v_month_start, v_month_end) x) s
  left join lateral jsonb_array_elements(s.x -> 'rows') r on true
  group by s.x;

  with open_cases as (
    select c.state, c.deadline_at, c.cell_code from cases c where c.state = any (v_open)
  ), risk as (
    -- The risk index as the inspector shows it (riskIndex over cell_class_inputs(now(), 90, 30)):
    -- the last 90 days' events weighted by severity and halved every 30 days, plus hazard sites
    -- (places and organisations of risk level 2 or 3) weighing one each, per km² of the cell.
    select c.code, c.name, c.class, a.name community_name,
           coalesce(ev.n, 0) events, coalesce(h.n, 0) hazard_sites,
           (coalesce(ev.w, 0) + coalesce(h.n, 0)) / greatest(1e-6, ST_Area(c.geom::geography) / 1e6) risk_index,
           ST_X(ST_PointOnSurface(c.geom)) lon, ST_Y(ST_PointOnSurface(c.geom)) lat
    from cells c
    left join admin_areas a on a.code = c.community_code
    left join (select e.cell_code, count(*) n,
                      sum(e.severity * power(0.5, extract(epoch from (now() - e.occurred_at)) / 86400.0 / 30)) w
               from events e
               where e.occurred_at >= now() - interval '90 days' and e.occurred_at < now() group by e.cell_code) ev on ev.cell_code = c.code
    left join (select en.cell_code, count(*) n from entities en
               where en.kind in ('place', 'organisation') and en.risk_level >= 2 group by en.cell_code) h on h.cell_code = c.code
    where c.valid_to is null and (ev.n is not null or h.n is not null)
  ), feed as (
    select * from (
      select 'event' kind, e.id::text id, e.created_at at, e.category, e.severity, e.cell_code,
             null::text case_id, null::text case_code, null::text action, e.status state,
             ST_X(e.geom) lon, ST_Y(e.geom) lat
      from events e order by e.created_at desc, e.id limit p_feed_limit
    ) e
    union all
    select * from (
      select 'case', t.id::text, t.at, c.category, c.severity, c.cell_code, c.id::text, c.code, t.action, t.to_state,
             ST_X(c.geom), ST_Y(c.geom)
      from case_trace t join cases c on c.id = t.case_id order by t.at desc, t.id desc limit p_feed_limit
    ) t
    union all
    select * from (
      select 'whistle', w.id::text, w.blown_at, c.category, c.severity, c.cell_code, c.id::text, c.code, 'whistle', c.state,
             ST_X(c.geom), ST_Y(c.geom)
      from case_whistles w join cases c on c.id = w.case_id order by w.blown_at desc, w.id desc limit p_feed_limit
    ) w
  )
  select jsonb_build_object(
    'asOf', now(),
    'dayStart', v_day_start,
    'monthStart', v_month_start,
    'eventsToday', (select count(*) from events e where e.occurred_at >= v_day_start and e.occurred_at <= now()),
    'casesToday', (select count(*) from cases c where c.reported_at >= v_day_start),
    'openCases', (select count(*) from open_cases),
    'openByClass', (select jsonb_build_object(
                      'A', count(*) filter (where l.class = 'A'), 'B', count(*) filter (where l.class = 'B'),
                      'C', count(*) filter (where l.class = 'C'), 'none', count(*) filter (where l.class is null))
                    from open_cases o left join cells l on l.code = o.cell_code and l.valid_to is null),
    'overdueByStage', (select coalesce(jsonb_object_agg(s.state, s.n), '{}') from (
                         select o.state, count(*) n from open_cases o where o.deadline_at < now() group by o.state) s),
    'whistlesAwaiting', (select count(*) from whistle_calls k where k.acknowledged_at is null),
    'whistlesMissed', (select count(*) from whistle_calls k where k.acknowledged_at is null and k.ack_deadline < now()),
    'complaintRates', v_rates,
    'topCells', (select coalesce(jsonb_agg(jsonb_build_object(
                    'code', r.code, 'name', r.name, 'class', r.class, 'communityName', r.community_name,
                    'riskIndex', round(r.risk_index::numeric, 2), 'events', r.events, 'hazardSites', r.hazard_sites,
                    'lngLat', jsonb_build_array(r.lon, r.lat)) order by r.risk_index desc, r.code), '[]')
                 from (select * from risk order by risk_index desc, code limit 5) r),
    'feed', (select coalesce(jsonb_agg(jsonb_build_object(
                'kind', f.kind, 'id', f.id, 'at', f.at, 'category', f.category, 'severity', f.severity, 'cellCode', f.cell_code,
                'caseId', f.case_id, 'caseCode', f.case_code, 'action', f.action, 'state', f.state,
                'lngLat', jsonb_build_array(f.lon, f.lat)) order by f.at desc, f.kind, f.id desc), '[]')
             from (select * from feed order by at desc, kind, id desc limit p_feed_limit) f)
  ) into v_result;
  return v_result;
end
$$;
comment on function live_now(integer) is
  'The command centre''s "now" view of what the caller may read (RLS): eventsToday (occurred since the start of today in the case working time''s time zone), casesToday (reported since), openCases, openByClass {A,B,C,none} (the class of the open case''s current cell), overdueByStage {state: n} (open, deadline passed), whistlesAwaiting and whistlesMissed (calls not acknowledged; past their deadline), complaintRates this month (the district''s response, resolution and satisfaction rates, as complaint_rates makes them per street), topCells (5 cells by the risk index the inspector shows: the last 90 days'' events weighted by severity and halved every 30 days, plus hazard sites, per km²; events counts those 90 days'' events) and feed (the latest p_feed_limit events recorded, case steps and whistles blown, newest first, each with [lng, lat]).';
revoke all on function live_now(integer) from public, anon;
grant execute on function live_now(integer) to authenticated, service_role;

-- Supabase's Realtime tells the browsers of changes to the tables in this publication (each
-- subscriber hears only rows its policies let it read); PostgreSQL and PGlite have none.
do $$
declare
  v_table text;
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    foreach v_table in array array['cases', 'case_trace', 'case_whistles', 'whistle_calls', 'events', 'cells'] loop
      if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = v_table) then
        execute format('alter publication supabase_realtime add table public.%I', v_table);
      end if;
    end loop;
  end if;
end
$$;
