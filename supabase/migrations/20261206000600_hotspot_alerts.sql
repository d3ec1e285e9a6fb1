-- Purpose: hot-spot alerts in the database (issue 24). The command centre's alerts on a hot spot
--          turning "new" or "intensifying" were computed only in a browser's worker, with the
--          heatmap; now the database computes Getis-Ord Gi* per cell (queen contiguity: cells
--          touching, within 5 cm, as src/geo/gi-star.ts; the cell itself included; binary weights)
--          on the events of a window and of the window before it, classes them as ArcGIS's Gi_Bin
--          (±1, ±2, ±3 at 90, 95, 99 % confidence, from the z-score's critical values 1.645, 1.960
--          and 2.576) and names the trend as spaceTimeTrend does: new (hot now, not before),
--          intensifying (hot in both, a higher class now, or the same class and z up by more than
--          10 %), persistent, diminishing. Two rule kinds use it: hotspot_new and
--          hotspot_intensifying, the threshold being the least class the cell is hot at now.
-- Tables: alert_rules (its kind and category checks: the two new kinds, which may name a category).
-- Functions: cell_hotspot_trends (new, internal); evaluate_alerts, save_alert_rule (restated with
--            the new kinds).
-- Destructive: none.
alter table alert_rules drop constraint alert_rules_kind_check;
alter table alert_rules add constraint alert_rules_kind_check
  check (kind in ('cell_events', 'category_events', 'cell_risk', 'case_overdue', 'hotspot_new', 'hotspot_intensifying'));
alter table alert_rules drop constraint alert_rules_check;
alter table alert_rules add constraint alert_rules_check
  check (case kind when 'category_events' then category is not null
                   when 'cell_events' then true when 'hotspot_new' then true when 'hotspot_intensifying' then true
                   else category is null end);
comment on table alert_rules is
  'Thresholds the command centre sets (告警规则): cell_events (a cell''s events in window_hours, of one category when category is set), category_events (a category''s events in the district in window_hours), cell_risk (a cell''s risk index), case_overdue (a case past its deadline by threshold hours), hotspot_new and hotspot_intensifying (a cell whose Gi* hot-spot class over window_hours, against the window before, is new or intensifying, at least class threshold: 1, 2 or 3; of one category when category is set). Written by save_alert_rule.';

create function cell_hotspot_trends(p_window_hours integer, p_category text default null)
returns table (code text, name text, events_before integer, events_after integer, z_before double precision,
               z_after double precision, class_before integer, class_after integer, trend text)
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with counts as (
    select c.code, c.name,
           (count(e.id) filter (where e.occurred_at > now() - make_interval(hours => p_window_hours)))::integer v_after,
           (count(e.id) filter (where e.occurred_at <= now() - make_interval(hours => p_window_hours)))::integer v_before
    from cells c left join events e on e.cell_code = c.code
      and e.occurred_at > now() - make_interval(hours => 2 * p_window_hours) and e.occurred_at <= now()
      and (p_category is null or e.category = p_category)
    where c.valid_to is null
    group by c.code, c.name
  ), stats as (
    select count(*)::double precision n, avg(v_after)::double precision m_after, stddev_pop(v_after)::double precision s_after,
           avg(v_before)::double precision m_before, stddev_pop(v_before)::double precision s_before
    from counts
  ), neighbours as materialized (
    -- Queen contiguity: cells touching within 5 cm, as the browser's weights (on the table: the
    -- spatial index finds them).
    select a.code, b.code neighbour
    from cells a join cells b on b.valid_to is null and b.code <> a.code and ST_DWithin(a.geom, b.geom, 0.05 / 111320.0)
    where a.valid_to is null
  ), local as (
    -- Each cell's own count plus its neighbours'.
    select k.code, k.name, k.v_before, k.v_after,
           k.v_after + coalesce(sum(x.v_after), 0) l_after, k.v_before + coalesce(sum(x.v_before), 0) l_before,
           1 + count(x.code) w
    from counts k
    left join neighbours n on n.code = k.code
    left join counts x on x.code = n.neighbour
    group by k.code, k.name, k.v_before, k.v_after
  ), z as (
    select l.code, l.name, l.v_before, l.v_after,
           case when s.s_before > 0 and s.n > 1 and s.n * l.w - l.w * l.w > 0
                then (l.l_before - s.m_before * l.w) / (s.s_before * sqrt((s.n * l.w - l.w * l.w) / (s.n - 1))) else 0 end z_before,
           case when s.s_after > 0 and s.n > 1 and s.n * l.w - l.w * l.w > 0
                then (l.l_after - s.m_after * l.w) / (s.s_after * sqrt((s.n * l.w - l.w * l.w) / (s.n - 1))) else 0 end z_after
    from local l cross join stats s
  ), classed as (
    select z.*,
           (sign(z_before) * case when abs(z_before) > 2.5758 then 3 when abs(z_before) > 1.96 then 2 when abs(z_before) > 1.6449 then 1 else 0 end)::integer class_before,
           (sign(z_after) * case when abs(z_after) > 2.5758 then 3 when abs(z_after) > 1.96 then 2 when abs(z_after) > 1.6449 then 1 else 0 end)::integer class_after
    from z
  )
  select code, name, v_before, v_after, z_before, z_after, class_before, class_after,
         case when class_after > 0 and class_before <= 0 then 'new'
              when class_after > 0 and (class_after > class_before or (class_after = class_before and z_after > z_before * 1.1)) then 'intensifying'
              when class_after > 0 then 'persistent'
              when class_before > 0 then 'diminishing' end
  from classed
$$;
comment on function cell_hotspot_trends(integer, text) is
  'Internal to evaluate_alerts: per current cell, its events (of p_category, or all) in the last p_window_hours and in the window before, the Gi* z-score of each (queen contiguity within 5 cm, the cell included, binary weights), the Gi_Bin class (±1..3 at 90/95/99 %) and the trend: new, intensifying, persistent, diminishing or null.';
revoke all on function cell_hotspot_trends(integer, text) from public, anon, authenticated;
grant execute on function cell_hotspot_trends(integer, text) to service_role;

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
      -- The risk index of live_now: 90 days of events by severity halved every 30 days, plus hazard sites, per km².
      insert into alerts (rule_id, subject, cell_code, figures)
      select v_rule.id, r.code, r.code,
             jsonb_build_object('riskIndex', round(r.risk_index::numeric, 2), 'threshold', v_rule.threshold, 'events', r.events,
                                'hazardSites', r.hazard_sites, 'cellName', r.name)
      from (
        select c.code, c.name, coalesce(ev.n, 0) events, coalesce(h.n, 0) hazard_sites,
               (coalesce(ev.w, 0) + coalesce(h.n, 0)) / greatest(1e-6, ST_Area(c.geom::geography) / 1e6) risk_index
        from cells c
        left join (select e.cell_code, count(*) n,
                          sum(e.severity * power(0.5, extract(epoch from (now() - e.occurred_at)) / 86400.0 / 30)) w
                   from events e where e.occurred_at >= now() - interval '90 days' and e.occurred_at < now()
                   group by e.cell_code) ev on ev.cell_code = c.code
        left join (select en.cell_code, count(*) n from entities en
                   where en.kind in ('place', 'organisation') and en.risk_level >= 2 group by en.cell_code) h on h.cell_code = c.code
        where c.valid_to is null
      ) r
      where r.risk_index >= v_rule.threshold
        and not exists (select 1 from alerts a where a.rule_id = v_rule.id and a.subject = r.code
                          and a.raised_at > now() - make_interval(hours => v_rule.window_hours));
    elsif v_rule.kind in ('hotspot_new', 'hotspot_intensifying') then
      -- Gi* of the rule's window against the window before it (cell_hotspot_trends); the
      -- threshold is the least confidence class (1, 2, 3: 90, 95, 99 %) the cell is hot at now.
      insert into alerts (rule_id, subject, cell_code, figures)
      select v_rule.id, h.code, h.code,
             jsonb_build_object('trend', h.trend, 'classBefore', h.class_before, 'classAfter', h.class_after,
                                'zBefore', round(h.z_before::numeric, 2), 'zAfter', round(h.z_after::numeric, 2),
                                'eventsBefore', h.events_before, 'events', h.events_after, 'threshold', v_rule.threshold,
                                'windowHours', v_rule.window_hours, 'category', v_rule.category, 'cellName', h.name)
      from cell_hotspot_trends(v_rule.window_hours, v_rule.category) h
      where h.trend = case v_rule.kind when 'hotspot_new' then 'new' else 'intensifying' end
        and h.class_after >= v_rule.threshold
        and not exists (select 1 from alerts a where a.rule_id = v_rule.id and a.subject = h.code
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
comment on function evaluate_alerts() is
  'Raises the alerts of every active rule whose threshold a subject crosses now (once per rule and subject in the rule''s window; a case once; hot spots by cell_hotspot_trends); returns how many it raised. Internal: alerts_now runs it for the command centre; the owner or pg_cron may run it.';
revoke all on function evaluate_alerts() from public, anon, authenticated;
grant execute on function evaluate_alerts() to service_role;

create or replace function save_alert_rule(p_rule jsonb) returns bigint
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_id bigint := (p_rule ->> 'id')::bigint;
  v_kind text := p_rule ->> 'kind';
  v_category text := nullif(btrim(coalesce(p_rule ->> 'category', '')), '');
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators set alert rules';
  end if;
  if v_id is not null then
    -- An existing rule is switched on or off; its thresholds stay as its alerts were raised by.
    update alert_rules set active = coalesce((p_rule ->> 'active')::boolean, active) where id = v_id;
    if not found then
      raise exception using errcode = 'P0002', message = format('there is no alert rule %s', v_id);
    end if;
    return v_id;
  end if;
  if v_kind is null or v_kind not in ('cell_events', 'category_events', 'cell_risk', 'case_overdue', 'hotspot_new', 'hotspot_intensifying') then
    raise exception using errcode = '22023',
      message = format('an alert rule is of kind cell_events, category_events, cell_risk, case_overdue, hotspot_new or hotspot_intensifying, not "%s"', coalesce(v_kind, ''));
  end if;
  if v_kind in ('hotspot_new', 'hotspot_intensifying') and (p_rule ->> 'threshold') not in ('1', '2', '3') then
    raise exception using errcode = '22023',
      message = format('a hot-spot alert''s threshold is the least confidence class: 1 (90 %%), 2 (95 %%) or 3 (99 %%), not %s', coalesce(p_rule ->> 'threshold', 'none'));
  end if;
  if jsonb_typeof(p_rule -> 'threshold') is distinct from 'number' or (p_rule ->> 'threshold')::numeric <= 0 then
    raise exception using errcode = '22023', message = 'the threshold must be a number above 0';
  end if;
  if p_rule ? 'windowHours' and (jsonb_typeof(p_rule -> 'windowHours') is distinct from 'number'
       or (p_rule ->> 'windowHours')::numeric not between 1 and 8760 or (p_rule ->> 'windowHours')::numeric % 1 <> 0) then
    raise exception using errcode = '22023', message = 'the window must be a whole number of hours from 1 to 8760';
  end if;
  if v_kind = 'category_events' and v_category is null then
    raise exception using errcode = '22023', message = 'an alert on a category''s events needs the category';
  end if;
  if v_kind in ('cell_risk', 'case_overdue') then
    v_category := null;
  end if;
  insert into alert_rules (kind, threshold, window_hours, category, created_by)
  values (v_kind, (p_rule ->> 'threshold')::numeric, coalesce((p_rule ->> 'windowHours')::integer, 24), v_category, auth.uid())
  returning id into v_id;
  return v_id;
end
$$;
comment on function save_alert_rule(jsonb) is
  'Adds an alert rule {kind, threshold, windowHours (24), category} or switches one {id, active}; returns its id. Kinds: cell_events, category_events, cell_risk, case_overdue, hotspot_new, hotspot_intensifying (threshold: the least class, 1 to 3). Admins and the command centre; each field checked with a message naming it.';
revoke all on function save_alert_rule(jsonb) from public, anon;
grant execute on function save_alert_rule(jsonb) to authenticated, service_role;
