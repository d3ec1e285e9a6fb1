-- Purpose: scorecards (评价考核, issue 23) per department, street or grid worker for a period, from
--          the trace of the cases: steps taken in the period, on time or late against the
--          deadline of the stage they ended, cases returned, overdue now, the median working hours
--          per stage, whistle calls acknowledged in time, the three complaint rates. The score is
--          a weighted mean of rates whose weights are data (scorecard_rules), shown beside it: no
--          unexplained number.
--          Each step keeps the working hours of the stage it ended (case_trace.stage_hours, set
--          when the step is written), so that a year of steps is summed, not recounted.
-- Tables: scorecard_rules (new); case_trace (stage_hours, filled for the steps already written).
-- Functions: case_scorecards, set_scorecard_rule, case_trace_stage_hours (trigger) (new).
-- Destructive: none (the backfill of stage_hours writes a derived value into the append-only trace, once, here).

alter table case_trace add column stage_hours numeric;
comment on column case_trace.stage_hours is
  'Working hours from the step before (when the stage this step ended began) to this step; null for the report. Set when the step is written.';

create function case_trace_stage_hours() returns trigger
language plpgsql
set search_path = public, extensions, pg_temp
as $$
begin
  new.stage_hours := working_hours_between(
    (select t.at from case_trace t where t.case_id = new.case_id order by t.at desc, t.id desc limit 1), new.at);
  return new;
end
$$;
comment on function case_trace_stage_hours() is
  'Trigger: a new step of a case''s trace gets the working hours of the stage it ends (from the case''s latest step before it).';
revoke all on function case_trace_stage_hours() from public, anon;
create trigger case_trace_stage_hours before insert on case_trace
  for each row execute function case_trace_stage_hours();

create index case_trace_at_idx on case_trace (at);

alter table case_trace disable trigger case_trace_append_only;
update case_trace t set stage_hours = working_hours_between(p.began, t.at)
from (select id, lag(at) over (partition by case_id order by at, id) as began from case_trace) p
where p.id = t.id and p.began is not null;
alter table case_trace enable trigger case_trace_append_only;

create table scorecard_rules (
  group_kind text not null check (group_kind in ('department', 'street', 'worker')),
  metric text not null check (metric in ('on_time_rate', 'not_returned_rate', 'whistle_ack_rate', 'response_rate', 'resolution_rate',
                                         'satisfaction_rate', 'verify_pass_rate')),
  weight numeric not null check (weight > 0 and weight <= 100),
  primary key (group_kind, metric)
);
comment on table scorecard_rules is
  'How a scorecard''s score is counted: for each kind of group (department, street, grid worker), the rates that count and their weights. Score = 100 × Σ weight × rate ÷ Σ weight, over the rates the group has in the period (a rate without cases leaves its weight out). Edited by the command centre through set_scorecard_rule.';
alter table scorecard_rules enable row level security;
grant select on scorecard_rules to authenticated;
create policy "members read the scorecard rules" on scorecard_rules for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));
insert into scorecard_rules (group_kind, metric, weight) values
  ('department', 'on_time_rate', 40), ('department', 'not_returned_rate', 10), ('department', 'whistle_ack_rate', 10),
  ('department', 'response_rate', 10), ('department', 'resolution_rate', 15), ('department', 'satisfaction_rate', 15),
  ('street', 'on_time_rate', 50), ('street', 'response_rate', 10), ('street', 'resolution_rate', 20), ('street', 'satisfaction_rate', 20),
  ('worker', 'on_time_rate', 70), ('worker', 'verify_pass_rate', 30);

create function set_scorecard_rule(p_group text, p_metric text, p_weight numeric) returns void
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators edit the scorecard rules';
  end if;
  if p_weight is null then
    delete from scorecard_rules where group_kind = p_group and metric = p_metric;
  else
    insert into scorecard_rules (group_kind, metric, weight) values (p_group, p_metric, p_weight)
    on conflict (group_kind, metric) do update set weight = excluded.weight;
  end if;
end
$$;
comment on function set_scorecard_rule(text, text, numeric) is
  'Sets the weight of a rate in the score of a kind of group (p_weight null: the rate no longer counts); command centre and administrators.';
revoke all on function set_scorecard_rule(text, text, numeric) from public, anon;
grant execute on function set_scorecard_rule(text, text, numeric) to authenticated, service_role;

create function case_scorecards(p_group text, p_from timestamptz, p_to timestamptz) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  rates jsonb;
  result jsonb;
begin
  if role not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members read the scorecards';
  end if;
  if p_group is null or p_group not in ('department', 'street', 'worker') then
    raise exception using errcode = '22023', message = format('scorecards are by department, street or worker, not "%s"', coalesce(p_group, 'nothing'));
  end if;
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = '22023', message = 'the period needs a start before its end';
  end if;
  if p_group <> 'worker' then
    rates := complaint_rates(p_group, p_from, p_to) -> 'rows';
  end if;
  with mine as (
    select s.*,
           case p_group when 'department' then case when s.actor_role = 'department' or s.action = 'dispatch' then s.department_id end
                        when 'street' then left(s.community_code, 9)
                        else case when s.actor_role = 'worker' then s.actor::text end end as key,
           -- The group's own steps: not the report, nor (for a department) the dispatch to it.
           s.action <> 'report' and not (p_group = 'department' and s.action = 'dispatch') as own
    from (select t.*, c.community_code from case_trace t join cases c on c.id = t.case_id where t.at >= p_from and t.at < p_to) s
  ), counted as (
    select m.key,
           count(*) filter (where m.action = 'dispatch' and p_group = 'department') as received,
           count(*) filter (where m.action = 'report') as reported,
           count(*) filter (where m.action = 'answer') as answered,
           count(*) filter (where m.action = 'verify') as verified,
           count(*) filter (where m.action = 'reopen') as reopened,
           count(*) filter (where m.action = 'return') as returned,
           count(*) filter (where m.own) as steps,
           count(*) filter (where m.own and m.deadline_at is not null and m.at <= m.deadline_at) as on_time,
           count(*) filter (where m.own and m.deadline_at is not null and m.at > m.deadline_at) as late,
           jsonb_strip_nulls(jsonb_build_object(
             'dispatched', percentile_cont(0.5) within group (order by m.stage_hours)
                             filter (where m.own and m.from_state = 'dispatched'),
             'in_progress', percentile_cont(0.5) within group (order by m.stage_hours)
                              filter (where m.own and m.from_state = 'in_progress'),
             'answered', percentile_cont(0.5) within group (order by m.stage_hours)
                           filter (where m.own and m.from_state = 'answered'),
             'registered', percentile_cont(0.5) within group (order by m.stage_hours)
                             filter (where m.own and m.from_state = 'registered'),
             'reported', percentile_cont(0.5) within group (order by m.stage_hours)
                           filter (where m.own and m.from_state = 'reported'))) as median_hours
    from mine m
    where m.key is not null
    group by m.key
  ), overdue as (
    select case p_group when 'department' then c.department_id when 'street' then left(c.community_code, 9) else w.user_id::text end as key,
           count(*) as overdue_now
    from cases c
    left join worker_cells w on p_group = 'worker' and w.cell_code = c.cell_code
    where c.deadline_at < now()
      and c.state = any (case p_group when 'department' then '{dispatched,in_progress}'::text[]
                                      when 'worker' then '{answered}'::text[]
                                      else '{reported,registered,escalated,dispatched,in_progress,answered}'::text[] end)
    group by 1
  ), whistles as (
    select case p_group when 'department' then k.department_id when 'street' then left(c.community_code, 9) end as key,
           count(*) as calls,
           count(*) filter (where k.acknowledged_at <= k.ack_deadline) as acknowledged_in_time,
           count(*) filter (where coalesce(k.acknowledged_at, now()) > k.ack_deadline) as missed,
           round(avg(k.rating), 2) as mean_rating
    from whistle_calls k join case_whistles w on w.id = k.whistle_id join cases c on c.id = w.case_id
    where p_group <> 'worker' and w.blown_at >= p_from and w.blown_at < p_to
    group by 1
  ), keys as (
    select key from counted union select key from overdue where key is not null union select key from whistles where key is not null
  ), joined as (
    select k.key,
           coalesce(n.received, 0) received, coalesce(n.reported, 0) reported, coalesce(n.answered, 0) answered,
           coalesce(n.verified, 0) verified, coalesce(n.reopened, 0) reopened, coalesce(n.returned, 0) returned,
           coalesce(n.steps, 0) steps, coalesce(n.on_time, 0) on_time, coalesce(n.late, 0) late,
           coalesce(n.median_hours, '{}') median_hours, coalesce(o.overdue_now, 0) overdue_now,
           coalesce(w.calls, 0) calls, coalesce(w.acknowledged_in_time, 0) acknowledged_in_time, coalesce(w.missed, 0) missed,
           w.mean_rating,
           (select r from jsonb_array_elements(coalesce(rates, '[]')) r where r ->> 'key' = k.key) as complaint
    from keys k
    left join counted n on n.key = k.key
    left join overdue o on o.key = k.key
    left join whistles w on w.key = k.key
  ), with_rates as (
    select j.*,
           jsonb_strip_nulls(jsonb_build_object(
             'on_time_rate', round(j.on_time::numeric / nullif(j.on_time + j.late, 0), 4),
             'not_returned_rate', case when p_group = 'department' then round(1 - j.returned::numeric / nullif(j.received, 0), 4) end,
             'whistle_ack_rate', round(j.acknowledged_in_time::numeric / nullif(j.calls, 0), 4),
             'verify_pass_rate', case when p_group = 'worker' then round(j.verified::numeric / nullif(j.verified + j.reopened, 0), 4) end,
             'response_rate', (j.complaint ->> 'responseRate')::numeric,
             'resolution_rate', (j.complaint ->> 'resolutionRate')::numeric,
             'satisfaction_rate', (j.complaint ->> 'satisfactionRate')::numeric)) as rates
    from joined j
  ), scored as (
    select r.*,
           (select round(100 * sum(s.weight * (r.rates ->> s.metric)::numeric) / nullif(sum(s.weight), 0), 1)
            from scorecard_rules s where s.group_kind = p_group and r.rates ? s.metric) as score
    from with_rates r
  )
  select jsonb_build_object(
    'group', p_group, 'from', p_from, 'to', p_to,
    'rules', coalesce((select jsonb_agg(jsonb_build_object('metric', s.metric, 'weight', s.weight) order by s.weight desc, s.metric)
                       from scorecard_rules s where s.group_kind = p_group), '[]'),
    'rows', coalesce(jsonb_agg(jsonb_build_object(
      'key', s.key,
      'name', coalesce(case p_group when 'department' then (select d.name from departments d where d.id = s.key)
                                    when 'street' then (select a.name from admin_areas a where a.code = s.key)
                                    else (select m.display_name from members m where m.user_id::text = s.key) end, s.key),
      'received', s.received, 'reported', s.reported, 'answered', s.answered, 'verified', s.verified, 'reopened', s.reopened,
      'returned', s.returned, 'steps', s.steps, 'onTime', s.on_time, 'late', s.late, 'overdueNow', s.overdue_now,
      'medianHours', s.median_hours, 'whistleCalls', s.calls, 'whistleAcknowledgedInTime', s.acknowledged_in_time,
      'whistleMissed', s.missed, 'whistleMeanRating', s.mean_rating,
      'complaints', coalesce((s.complaint ->> 'complaints')::int, 0),
      'rates', s.rates, 'score', s.score,
      'rank', case when s.score is not null then (select 1 + count(*) from scored o where o.score > s.score) end)
      order by s.score desc nulls last, s.key), '[]'))
  into result
  from scored s
  -- A grid worker's card is theirs: the command centre and administrators read every worker's.
  where p_group <> 'worker' or role in ('admin', 'command') or s.key = auth.uid()::text;
  return result;
end
$$;
comment on function case_scorecards(text, timestamptz, timestamptz) is
  'Scorecards of a period [p_from, p_to) per department (steps its officers took, cases dispatched to it and returned, its open cases overdue now, whistle calls to it), street (every step on its cases, its open cases overdue now, whistles on its cases) or grid worker (their reports, verifications and reopenings, the answered cases of their cells overdue now): steps on time or late against the deadline of the stage they ended, the median working hours per stage ended, the complaint rates (complaint_rates; not for workers), the rates that count in the score and the score by scorecard_rules, ranked. Members read the department and street cards; a grid worker reads only their own card, the command centre and administrators every one. Security definer: counts only.';
revoke all on function case_scorecards(text, timestamptz, timestamptz) from public, anon;
grant execute on function case_scorecards(text, timestamptz, timestamptz) to authenticated, service_role;
