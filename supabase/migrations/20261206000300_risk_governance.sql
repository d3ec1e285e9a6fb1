-- Purpose: the five stages of whole-process risk governance (issue 24; the law paper's 风险识别,
--          风险评估, 风险分类, 风险控制决策, 风险控制措施实施) for a cell or the whole district, for
--          one event category or all, over the last days: what was identified (events by source
--          and category, hazard sites), how it was assessed (risk index against the district's,
--          events by severity), how it was classified (the cell's class and why; the category's
--          risk × responsibility quadrant; the district's cells by class), what control was decided
--          (cases registered, rejected, dispatched to which departments, escalated, whistles) and
--          carried out (cases under way, answered, closed and how fast, overdue; patrols), of what
--          the caller may read (row level security).
-- Functions: risk_governance (new).
-- Tables: none.
-- Destructive: none.
create function risk_governance(p_cell text default null, p_category text default null, p_days integer default 90) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_from timestamptz;
  v_cell cells%rowtype;
  v_result jsonb;
begin
  if app_role() not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members read the risk governance stages';
  end if;
  if p_days is null or p_days < 1 or p_days > 3660 then
    raise exception using errcode = '22023', message = format('p_days must be 1 to 3660, not %s', p_days);
  end if;
  if p_cell is not null then
    select * into v_cell from cells c where c.code = p_cell and c.valid_to is null;
    if not found then
      raise exception using errcode = 'P0002', message = format('no current cell %s that you may read', p_cell);
    end if;
  end if;
  v_from := now() - make_interval(days => p_days);
  with ev as (
    select e.category, e.source, e.severity, e.occurred_at
    from events e
    where e.occurred_at >= v_from and e.occurred_at <= now()
      and (p_cell is null or e.cell_code = p_cell)
      and (p_category is null or e.category = p_category)
  ), cs as (
    select c.id, c.state, c.department_id, c.reported_at, c.deadline_at
    from cases c
    where c.reported_at >= v_from and c.reported_at <= now()
      and (p_cell is null or c.cell_code = p_cell)
      and (p_category is null or c.category = p_category)
  ), per_case as (
    -- One pass over the steps: what was decided on each case, and when it was first closed.
    select t.case_id, bool_or(t.action = 'register') registered, bool_or(t.action = 'reject') rejected,
           bool_or(t.action = 'dispatch') dispatched, bool_or(t.action = 'escalate') escalated,
           extract(epoch from (min(t.at) filter (where t.to_state = 'closed') - min(cs.reported_at))) / 3600 hours_to_close
    from case_trace t join cs on cs.id = t.case_id
    group by t.case_id
  ), decided as (
    select count(*) filter (where p.registered) registered, count(*) filter (where p.rejected) rejected,
           count(*) filter (where p.dispatched) dispatched, count(*) filter (where p.escalated) escalated,
           percentile_cont(0.5) within group (order by p.hours_to_close) median_hours
    from per_case p
  ), risk as (
    select r.code, r.risk_index from cell_risk_indexes() r
  ), all_cells as (
    select c.code, coalesce(r.risk_index, 0) risk_index
    from cells c left join risk r on r.code = c.code where c.valid_to is null
  )
  select jsonb_build_object(
    'scope', jsonb_build_object('cellCode', p_cell, 'cellName', v_cell.name, 'category', p_category,
                                'days', p_days, 'from', v_from, 'to', now()),
    'identify', jsonb_build_object(
      'events', (select count(*) from ev),
      'bySource', (select coalesce(jsonb_object_agg(s.source, s.n), '{}') from (
                     select ev.source, count(*) n from ev group by ev.source) s),
      'byCategory', (select coalesce(jsonb_agg(jsonb_build_object('category', s.category, 'events', s.n) order by s.n desc, s.category), '[]')
                     from (select ev.category, count(*) n from ev group by ev.category order by count(*) desc, ev.category limit 8) s),
      'firstAt', (select min(ev.occurred_at) from ev),
      'lastAt', (select max(ev.occurred_at) from ev),
      'hazardSites', (select count(*) from entities en
                      where en.kind in ('place', 'organisation') and en.risk_level >= 2
                        and (p_cell is null or en.cell_code = p_cell))),
    'assess', jsonb_build_object(
      'riskIndex', case when p_cell is null then null
                        else round(coalesce((select r.risk_index from risk r where r.code = p_cell), 0)::numeric, 2) end,
      'districtMedian', (select round(percentile_cont(0.5) within group (order by a.risk_index)::numeric, 2) from all_cells a),
      'rank', case when p_cell is null then null
                   else (select count(*) + 1 from all_cells a
                         where a.risk_index > coalesce((select r.risk_index from risk r where r.code = p_cell), 0)) end,
      'cells', (select count(*) from all_cells),
      'bySeverity', (select jsonb_build_object(
                       '1', count(*) filter (where ev.severity = 1), '2', count(*) filter (where ev.severity = 2),
                       '3', count(*) filter (where ev.severity = 3), '4', count(*) filter (where ev.severity = 4)) from ev)),
    'classify', jsonb_build_object(
      'class', v_cell.class,
      'classSource', v_cell.class_source,
      'classReason', v_cell.class_reason,
      'byClass', case when p_cell is not null then null else (
                   select jsonb_build_object('A', count(*) filter (where c.class = 'A'), 'B', count(*) filter (where c.class = 'B'),
                                             'C', count(*) filter (where c.class = 'C'))
                   from cells c where c.valid_to is null) end,
      'quadrant', (select jsonb_build_object('risk', m.risk, 'responsibility', m.responsibility, 'note', m.note)
                   from risk_matrix m where m.category = p_category)),
    'decide', jsonb_build_object(
      'cases', (select count(*) from cs),
      'registered', (select d.registered from decided d),
      'rejected', (select d.rejected from decided d),
      'dispatched', (select d.dispatched from decided d),
      'escalated', (select d.escalated from decided d),
      'whistles', (select count(*) from case_whistles w join cs on cs.id = w.case_id),
      'byDepartment', (select coalesce(jsonb_agg(jsonb_build_object('departmentId', d.department_id, 'name', coalesce(p.name, d.department_id), 'cases', d.n)
                                                 order by d.n desc, d.department_id), '[]')
                       from (select cs.department_id, count(*) n from cs where cs.department_id is not null group by cs.department_id) d
                       left join departments p on p.id = d.department_id)),
    'carryOut', jsonb_build_object(
      'open', (select count(*) from cs where cs.state in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered')),
      'overdue', (select count(*) from cs where cs.state in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered')
                                            and cs.deadline_at < now()),
      'inProgress', (select count(*) from cs where cs.state = 'in_progress'),
      'answered', (select count(*) from cs where cs.state = 'answered'),
      'closed', (select count(*) from cs where cs.state in ('closed', 'evaluated')),
      'evaluated', (select count(*) from cs where cs.state = 'evaluated'),
      'medianHoursToClose', (select round(d.median_hours::numeric, 1) from decided d),
      'patrols', (select count(*) from patrols p where p.started_at >= v_from and (p_cell is null or p.cell_code = p_cell)),
      'lastPatrolAt', (select max(coalesce(p.ended_at, p.started_at)) from patrols p where p_cell is null or p.cell_code = p_cell))
  ) into v_result;
  return v_result;
end
$$;
comment on function risk_governance(text, text, integer) is
  'The five stages of risk governance for a cell (p_cell; null: the district) and an event category (p_category; null: all) over the last p_days days, of what the caller may read (RLS): identify {events, bySource, byCategory (top 8), firstAt, lastAt, hazardSites}, assess {riskIndex (cell_risk_indexes; null for the district), districtMedian, rank (1 = highest), cells, bySeverity}, classify {class, classSource, classReason (the cell''s), byClass (the district''s), quadrant (the category''s risk × responsibility, or null)}, decide {cases reported in the period, registered, rejected, dispatched, escalated (cases with such a step), whistles, byDepartment}, carryOut {open, overdue, inProgress, answered, closed, evaluated, medianHoursToClose (report to closed), patrols (started in the period), lastPatrolAt}. P0002 for a cell that is not current or not readable.';
revoke all on function risk_governance(text, text, integer) from public, anon;
grant execute on function risk_governance(text, text, integer) to authenticated, service_role;
