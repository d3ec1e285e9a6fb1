-- Purpose: alerts for the command centre (issue 24). The command centre sets thresholds
--          (alert_rules): a cell's event count in a window, a category's event count in the
--          district in a window, a cell's risk index (as the inspector and live_now make it), a
--          case overdue by some hours. evaluate_alerts raises an alert for each subject over its
--          threshold, with why (the rule and the figures), at most once per rule and subject in
--          the rule's window (a case once), kept until acknowledged. It runs in the database:
--          alerts_now runs it before returning the open alerts, so every command-centre page (and
--          pg_cron, where installed: `select evaluate_alerts()`) raises the same alerts, once.
-- Tables: alert_rules, alerts (new; row level security: admins and the command centre).
-- Functions: evaluate_alerts (internal), alerts_now, save_alert_rule, acknowledge_alert (new).
-- Destructive: none.

create table alert_rules (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('cell_events', 'category_events', 'cell_risk', 'case_overdue')),
  -- Events counted (cell_events, category_events), the risk index (cell_risk) or hours overdue (case_overdue).
  threshold numeric not null check (threshold > 0),
  -- The window events are counted in, and the time before the same subject is alerted again.
  window_hours integer not null default 24 check (window_hours between 1 and 8760),
  category text check (category is null or length(btrim(category)) > 0),
  active boolean not null default true,
  created_by uuid,
  created_at timestamptz not null default now(),
  -- A category's count needs the category; a cell's count may name one; the others take none.
  check (case kind when 'category_events' then category is not null when 'cell_events' then true else category is null end)
);
comment on table alert_rules is
  'Thresholds the command centre sets (告警规则): cell_events (a cell''s events in window_hours, of one category when category is set), category_events (a category''s events in the district in window_hours), cell_risk (a cell''s risk index), case_overdue (a case past its deadline by threshold hours). Written by save_alert_rule.';
alter table alert_rules enable row level security;
grant select on alert_rules to authenticated;
create policy "admins and command read alert rules" on alert_rules for select to authenticated
  using ((select app_role()) in ('admin', 'command'));

create table alerts (
  id bigint generated always as identity primary key,
  rule_id bigint not null references alert_rules (id),
  -- What it is about: a cell's code, a category, a case's id.
  subject text not null,
  cell_code text,
  case_id uuid references cases (id),
  -- Why: the rule as it was and the figures that crossed it.
  figures jsonb not null,
  raised_at timestamptz not null default now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  acknowledged_by_name text
);
comment on table alerts is
  'Alerts raised by evaluate_alerts (告警): the rule, the subject (cell code, category or case id), the figures that crossed the threshold, kept until acknowledged by the command centre (who and when).';
create index alerts_rule_subject_idx on alerts (rule_id, subject, raised_at desc);
create index alerts_open_idx on alerts (raised_at desc) where acknowledged_at is null;
alter table alerts enable row level security;
grant select on alerts to authenticated;
create policy "admins and command read alerts" on alerts for select to authenticated
  using ((select app_role()) in ('admin', 'command'));

create function evaluate_alerts() returns integer
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
  'Raises the alerts of every active rule whose threshold a subject crosses now (once per rule and subject in the rule''s window; a case once); returns how many it raised. Internal: alerts_now runs it for the command centre; the owner or pg_cron may run it.';
revoke all on function evaluate_alerts() from public, anon, authenticated;
grant execute on function evaluate_alerts() to service_role;

create function alerts_now(p_limit integer default 50) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_raised integer;
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators read alerts';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 500 then
    raise exception using errcode = '22023', message = format('p_limit must be 1 to 500, not %s', p_limit);
  end if;
  v_raised := evaluate_alerts();
  return jsonb_build_object(
    'raised', v_raised,
    'open', (select count(*) from alerts where acknowledged_at is null),
    'alerts', (select coalesce(jsonb_agg(jsonb_build_object(
                 'id', a.id, 'ruleId', a.rule_id, 'kind', r.kind, 'subject', a.subject, 'cellCode', a.cell_code, 'caseId', a.case_id,
                 'figures', a.figures, 'raisedAt', a.raised_at,
                 'lngLat', (select jsonb_build_array(ST_X(p), ST_Y(p)) from (
                              select coalesce((select k.geom from cases k where k.id = a.case_id),
                                              (select ST_PointOnSurface(c.geom) from cells c where c.code = a.cell_code and c.valid_to is null)) p) q
                            where p is not null))
                 order by a.raised_at desc, a.id desc), '[]')
               from (select * from alerts where acknowledged_at is null order by raised_at desc, id desc limit p_limit) a
               join alert_rules r on r.id = a.rule_id),
    'rules', (select coalesce(jsonb_agg(jsonb_build_object(
                'id', r.id, 'kind', r.kind, 'threshold', r.threshold, 'windowHours', r.window_hours, 'category', r.category,
                'active', r.active) order by r.id), '[]')
              from alert_rules r)
  );
end
$$;
comment on function alerts_now(integer) is
  'Raises what the rules say now (evaluate_alerts), then returns {raised, open, alerts (the latest p_limit unacknowledged, each with its rule''s kind, subject, figures and position), rules}. Admins and the command centre.';
revoke all on function alerts_now(integer) from public, anon;
grant execute on function alerts_now(integer) to authenticated, service_role;

create function save_alert_rule(p_rule jsonb) returns bigint
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
  if v_kind is null or v_kind not in ('cell_events', 'category_events', 'cell_risk', 'case_overdue') then
    raise exception using errcode = '22023', message = format('an alert rule is of kind cell_events, category_events, cell_risk or case_overdue, not "%s"', coalesce(v_kind, ''));
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
  'Adds an alert rule {kind, threshold, windowHours (24), category} or switches one {id, active}; returns its id. Admins and the command centre; each field checked with a message naming it.';
revoke all on function save_alert_rule(jsonb) from public, anon;
grant execute on function save_alert_rule(jsonb) to authenticated, service_role;

create function acknowledge_alert(p_id bigint) returns void
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators acknowledge alerts';
  end if;
  update alerts set acknowledged_at = now(), acknowledged_by = auth.uid(),
                    acknowledged_by_name = coalesce((select m.display_name from members m where m.user_id = auth.uid()), '')
  where id = p_id and acknowledged_at is null;
  if not found then
    if exists (select 1 from alerts where id = p_id) then
      raise exception using errcode = 'GA409', message = format('alert %s was acknowledged already, by %s', p_id, (select acknowledged_by_name from alerts where id = p_id));
    end if;
    raise exception using errcode = 'P0002', message = format('there is no alert %s', p_id);
  end if;
end
$$;
comment on function acknowledge_alert(bigint) is 'Acknowledges an open alert as the caller (who and when kept). Admins and the command centre.';
revoke all on function acknowledge_alert(bigint) from public, anon;
grant execute on function acknowledge_alert(bigint) to authenticated, service_role;

-- A district starts with two rules, which the command centre switches off or adds to: a case
-- overdue by a day, and a cell with five events or more in a day.
insert into alert_rules (kind, threshold, window_hours) values ('case_overdue', 24, 24), ('cell_events', 5, 24);

-- Realtime tells the command centres of alerts as they are raised and acknowledged.
do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    alter publication supabase_realtime add table public.alerts;
  end if;
end
$$;
