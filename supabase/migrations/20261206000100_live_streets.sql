-- Purpose: the wall screen's streets (issue 24) and one risk index. cell_risk_indexes gives each
--          current cell's risk index as the inspector shows it (the last 90 days' events weighted
--          by severity and halved every 30 days, plus hazard sites, per km²), written once here:
--          live_now and evaluate_alerts, which each spelled it out, now read it. live_streets
--          gives each street's figures for the wall screen: its box, cells (class A among them),
--          open and overdue cases, events today and in the last 7 days, and its cell of highest
--          risk index, of what the caller may read (row level security).
-- Functions: cell_risk_indexes, live_streets (new); live_now, evaluate_alerts (replaced, same
--            arguments and results).
-- Tables: none.
-- Destructive: none.

create function cell_risk_indexes() returns table (code text, events bigint, hazard_sites bigint, risk_index double precision)
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select c.code, coalesce(ev.n, 0), coalesce(h.n, 0),
         (coalesce(ev.w, 0) + coalesce(h.n, 0)) / greatest(1e-6, ST_Area(c.geom::geography) / 1e6)
  from cells c
  left join (select e.cell_code, count(*) n,
                    sum(e.severity * power(0.5, extract(epoch from (now() - e.occurred_at)) / 86400.0 / 30)) w
             from events e
             where e.occurred_at >= now() - interval '90 days' and e.occurred_at < now()
             group by e.cell_code) ev on ev.cell_code = c.code
  left join (select en.cell_code, count(*) n from entities en
             where en.kind in ('place', 'organisation') and en.risk_level >= 2
             group by en.cell_code) h on h.cell_code = c.code
  where c.valid_to is null and (ev.n is not null or h.n is not null)
$$;
comment on function cell_risk_indexes() is
  'The risk index of each current cell with events in the last 90 days or hazard sites, of what the caller may read (RLS): events (the 90 days'' count), hazard_sites (places and organisations of risk level 2 or 3) and risk_index = (Σ severity × 0.5^(age in days / 30) + hazard sites) / area in km². Cells with neither have index 0 and no row.';
revoke all on function cell_risk_indexes() from public, anon;
grant execute on function cell_risk_indexes() to authenticated, service_role;

create or replace function live_now(p_feed_limit integer default 30) returns jsonb
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
    -- The risk index as the inspector shows it (cell_risk_indexes).
    select c.code, c.name, c.class, a.name community_name, r.events, r.hazard_sites, r.risk_index,
           ST_X(ST_PointOnSurface(c.geom)) lon, ST_Y(ST_PointOnSurface(c.geom)) lat
    from cell_risk_indexes() r
    join cells c on c.code = r.code and c.valid_to is null
    left join admin_areas a on a.code = c.community_code
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

create or replace function evaluate_alerts() returns integer
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_rule alert_rules%rowtype;
  v_raised integer := 0;
  v_n integer;
begin
  -- One evaluation at a time: two pages asking at once raise each alert once.
  perform pg_advisory_xact_lock(hashtext('evaluate_alerts'));
  for v_rule in select * from alert_rules where active order by id loop
    if v_rule.kind = 'cell_events' then
      insert into alerts (rule_id, subject, cell_code, figures)
      select v_rule.id, e.cell_code, e.cell_code,
             jsonb_build_object('events', count(*), 'threshold', v_rule.threshold, 'windowHours', v_rule.window_hours,
                                'category', v_rule.category, 'cellName', min(c.name))
      from events e join cells c on c.code = e.cell_code and c.valid_to is null
      where e.occurred_at > now() - make_interval(hours => v_rule.window_hours) and e.occurred_at <= now()
        and (v_rule.category is null or e.category = v_rule.category)
      group by e.cell_code
      having count(*) >= v_rule.threshold
         and not exists (select 1 from alerts a where a.rule_id = v_rule.id and a.subject = e.cell_code
                           and a.raised_at > now() - make_interval(hours => v_rule.window_hours));
    elsif v_rule.kind = 'category_events' then
      insert into alerts (rule_id, subject, figures)
      select v_rule.id, v_rule.category,
             jsonb_build_object('events', count(*), 'threshold', v_rule.threshold, 'windowHours', v_rule.window_hours, 'category', v_rule.category)
      from events e
      where e.occurred_at > now() - make_interval(hours => v_rule.window_hours) and e.occurred_at <= now() and e.category = v_rule.category
      having count(*) >= v_rule.threshold
         and not exists (select 1 from alerts a where a.rule_id = v_rule.id and a.subject = v_rule.category
                           and a.raised_at > now() - make_interval(hours => v_rule.window_hours));
    elsif v_rule.kind = 'cell_risk' then
      -- The risk index of the inspector and live_now (cell_risk_indexes).
      insert into alerts (rule_id, subject, cell_code, figures)
      select v_rule.id, r.code, r.code,
             jsonb_build_object('riskIndex', round(r.risk_index::numeric, 2), 'threshold', v_rule.threshold, 'events', r.events,
                                'hazardSites', r.hazard_sites, 'cellName', r.name)
      from (
        select c.code, c.name, r.events, r.hazard_sites, r.risk_index
        from cell_risk_indexes() r join cells c on c.code = r.code and c.valid_to is null
      ) r
      where r.risk_index >= v_rule.threshold
        and not exists (select 1 from alerts a where a.rule_id = v_rule.id and a.subject = r.code
                          and a.raised_at > now() - make_interval(hours => v_rule.window_hours));
    else
      -- A case once: its deadline passed by the threshold's hours while it is open.
      insert into alerts (rule_id, subject, cell_code, case_id, figures)
      select v_rule.id, c.id::text, c.cell_code, c.id,
             jsonb_build_object('caseCode', c.code, 'state', c.state, 'deadlineAt', c.deadline_at, 'threshold', v_rule.threshold,
                                'hoursOverdue', round((extract(epoch from (now() - c.deadline_at)) / 3600)::numeric, 1), 'category', c.category)
      from cases c
      where c.state in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered')
        and c.deadline_at < now() - make_interval(secs => v_rule.threshold * 3600)
        and not exists (select 1 from alerts a where a.rule_id = v_rule.id and a.subject = c.id::text);
    end if;
    get diagnostics v_n = row_count;
    v_raised := v_raised + v_n;
  end loop;
  return v_raised;
end
$$;

create function live_streets() returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_zone text := coalesce((select w.time_zone from case_working_time w limit 1), 'Asia/Shanghai');
  v_day_start timestamptz;
  v_open constant text[] := '{reported,registered,escalated,dispatched,in_progress,answered}';
begin
  if app_role() not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members read the live view';
  end if;
  v_day_start := date_trunc('day', now() at time zone v_zone) at time zone v_zone;
  return (
    with street_cells as (
      select c.code, c.name, c.class, a.parent_code street_code
      from cells c join admin_areas a on a.code = c.community_code
      where c.valid_to is null
    ), cell_counts as (
      select s.street_code, count(*) cells, count(*) filter (where s.class = 'A') cells_a
      from street_cells s group by s.street_code
    ), open_counts as (
      select s.street_code, count(*) open_cases, count(*) filter (where o.deadline_at < now()) overdue
      from cases o join street_cells s on s.code = o.cell_code
      where o.state = any (v_open) group by s.street_code
    ), event_counts as (
      select s.street_code, count(*) filter (where e.occurred_at >= v_day_start) today, count(*) week
      from events e join street_cells s on s.code = e.cell_code
      where e.occurred_at >= least(v_day_start, now() - interval '7 days') and e.occurred_at <= now()
      group by s.street_code
    ), top_cells as (
      select distinct on (s.street_code) s.street_code, s.code, s.name, s.class, r.risk_index
      from cell_risk_indexes() r join street_cells s on s.code = r.code
      order by s.street_code, r.risk_index desc, s.code
    )
    select coalesce(jsonb_agg(jsonb_build_object(
             'code', a.code, 'name', a.name,
             'bbox', jsonb_build_array(ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom)),
             'cells', coalesce(cc.cells, 0), 'cellsA', coalesce(cc.cells_a, 0),
             'openCases', coalesce(oc.open_cases, 0), 'overdue', coalesce(oc.overdue, 0),
             'eventsToday', coalesce(ec.today, 0), 'eventsWeek', coalesce(ec.week, 0),
             'topCell', case when t.code is null then null else jsonb_build_object(
                          'code', t.code, 'name', t.name, 'class', t.class, 'riskIndex', round(t.risk_index::numeric, 2)) end)
             order by a.code), '[]')
    from admin_areas a
    left join cell_counts cc on cc.street_code = a.code
    left join open_counts oc on oc.street_code = a.code
    left join event_counts ec on ec.street_code = a.code
    left join top_cells t on t.street_code = a.code
    where a.level = 'street'
  );
end
$$;
comment on function live_streets() is
  'Each street''s figures for the wall screen, of what the caller may read (RLS): code, name, bbox [west, south, east, north], cells and cellsA (current cells, class A), openCases and overdue (open cases in its cells; deadline passed), eventsToday (since the start of today in the case working time''s time zone) and eventsWeek (the last 7 days), topCell (its cell of highest risk index, cell_risk_indexes) or null. Ordered by code.';
revoke all on function live_streets() from public, anon;
grant execute on function live_streets() to authenticated, service_role;
