-- Purpose: the cases of a zone (a cell, a community's cells, the district) for a period, as the
--          zone reports print them (issue 25): the median working hours of each stage of the
--          steps taken in the period (case_trace.stage_hours, as the scorecards count them), and
--          the three complaint rates of the complaints reported in the period (as complaint_rates
--          counts them per street or department, here per set of cells). Counts and medians
--          only: every member reads them, as they read the scorecards and the complaint rates.
-- Tables: none.
-- Functions: zone_case_figures (new).
-- Destructive: none.
create function zone_case_figures(p_cells jsonb, p_from timestamptz, p_to timestamptz) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  rules complaint_rate_rules%rowtype;
  v_cells text[];
begin
  if app_role() not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members read a zone''s case figures';
  end if;
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = '22023', message = format('a period runs from its start to a later end, got %s to %s', p_from, p_to);
  end if;
  if p_cells is not null and jsonb_typeof(p_cells) <> 'null' then
    if jsonb_typeof(p_cells) <> 'array' then
      raise exception using errcode = '22023', message = format('a zone''s cells are a list of cell codes, got %s', left(p_cells::text, 80));
    end if;
    if jsonb_array_length(p_cells) > 100000 then
      raise exception using errcode = '22023', message = format('a zone has at most 100000 cells, got %s', jsonb_array_length(p_cells));
    end if;
    v_cells := array(select jsonb_array_elements_text(p_cells));
  end if;
  select * into rules from complaint_rate_rules;
  return (
    with zone as (
      select c.id from cases c where c.cell_code is not null and (v_cells is null or c.cell_code = any (v_cells))
    ), steps as (
      select t.from_state, t.stage_hours
      from case_trace t join zone z on z.id = t.case_id
      where t.at >= p_from and t.at < p_to and t.action <> 'report' and t.stage_hours is not null
        and t.from_state in ('reported', 'registered', 'dispatched', 'in_progress', 'answered')
    ), stages as (
      select coalesce(jsonb_object_agg(s.from_state, jsonb_build_object('steps', s.n, 'medianHours', s.median)), '{}'::jsonb) j
      from (select from_state, count(*)::int n, round(percentile_cont(0.5) within group (order by stage_hours)::numeric, 1) median
            from steps group by from_state) s
    ), complaints as (
      select k.contact_deadline_at, k.contacted_at,
             (select r.rating from complaint_ratings r where r.case_id = k.case_id order by r.rated_at desc, r.id desc limit 1) rating,
             (select r.solved from complaint_ratings r where r.case_id = k.case_id order by r.rated_at desc, r.id desc limit 1) solved
      from case_complainants k join zone z on z.id = k.case_id join cases c on c.id = k.case_id
      where c.reported_at >= p_from and c.reported_at < p_to
    ), counted as (
      select count(*)::int complaints,
             count(*) filter (where contacted_at is not null or contact_deadline_at < now())::int due,
             count(*) filter (where contacted_at <= contact_deadline_at)::int responded,
             count(rating)::int rated,
             count(*) filter (where solved)::int solved,
             count(*) filter (where rating = 'satisfied')::int satisfied,
             count(*) filter (where rating = 'basically_satisfied')::int basically_satisfied
      from complaints
    )
    select jsonb_build_object(
      'from', p_from, 'to', p_to, 'cells', cardinality(v_cells),
      'stages', s.j,
      'complaints', n.complaints, 'due', n.due, 'responded', n.responded, 'rated', n.rated, 'solved', n.solved,
      'satisfied', n.satisfied, 'basicallySatisfied', n.basically_satisfied,
      'responseRate', round(n.responded::numeric / nullif(n.due, 0), 4),
      'resolutionRate', round(n.solved::numeric / nullif(n.rated, 0), 4),
      'satisfactionRate', round((n.satisfied * rules.satisfied_weight + n.basically_satisfied * rules.basically_satisfied_weight)
                                / nullif(n.rated, 0), 4))
    from stages s, counted n
  );
end
$$;
comment on function zone_case_figures(jsonb, timestamptz, timestamptz) is
  'The cases of a zone (the cases of the cells p_cells, a JSON list of cell codes; null: every cell) in [p_from, p_to): stages = per stage a step ended (reported, registered, dispatched, in_progress, answered) the steps taken in the period and their median working hours (case_trace.stage_hours; not the report itself); complaints reported in the period with due, responded, rated, solved, satisfied, basicallySatisfied and the three rates as complaint_rates counts them (responseRate = responded by the deadline / due; resolutionRate = solved / rated; satisfactionRate = weighted satisfied / rated; null without any). Counts and medians only (security definer), for every member, as the scorecards and complaint_rates. Refused to non-members (42501), for an empty or reversed period, cells that are not a list and more than 100000 cells (22023).';
revoke all on function zone_case_figures(jsonb, timestamptz, timestamptz) from public, anon;
grant execute on function zone_case_figures(jsonb, timestamptz, timestamptz) to authenticated, service_role;
