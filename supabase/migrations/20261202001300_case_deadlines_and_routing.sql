-- Purpose: time limits and routing for cases (issue 23, second part). Each stage of a case has a
--          time limit in working hours by category and severity, kept in a table the command
--          centre edits; working hours are counted in the office's working periods on working
--          days (Monday to Friday, less the public holidays, plus the weekend days made working
--          days, as the State Council's holiday schedule moves them: a calendar table). When a
--          case enters a stage the database sets the stage's deadline; the database, not the
--          browser, says what is overdue (list_cases and case_detail compare with now()). A
--          deadline is fixed when its stage begins: editing a limit or the calendar changes the
--          deadlines of stages begun later. Each trace row keeps the deadline of the stage it
--          ended, so that "on time" is known for every step afterwards.
--          Routing rules (category × area → department, with a default) propose the department
--          when a case is reported; the dispatcher confirms or changes it.
--          The app reads cases through list_cases (filtered, paged, RLS applied) and case_detail
--          (the case, its trace and the steps the caller may take).
-- Tables: case_working_time, work_calendar, case_time_limits, case_routes (new); cases (new
--         columns stage_started_at, deadline_at, proposed_department_id); case_trace (new columns
--         actor_name, deadline_at).
-- Functions: is_working_day, add_working_hours, working_hours_between, case_stage_hours,
--            propose_department, set_case_working_time, set_work_calendar_day,
--            set_case_time_limit, set_case_route, case_settings, list_departments, list_cases,
--            case_detail (new); report_case, transition_case (replaced: deadlines, proposal,
--            the actor's name in the trace).
-- Destructive: none.

create table case_working_time (
  id boolean primary key default true check (id),
  time_zone text not null default 'Asia/Shanghai',
  am_start time not null default '09:00',
  am_end time not null default '12:00',
  pm_start time not null default '13:30',
  pm_end time not null default '17:30',
  check (am_start < am_end and am_end <= pm_start and pm_start < pm_end)
);
comment on table case_working_time is
  'The office''s working periods (one row): case time limits count working hours in these two periods of each working day, in this time zone.';
insert into case_working_time default values;
alter table case_working_time enable row level security;
grant select, update on case_working_time to authenticated;
create policy "members read the working time" on case_working_time for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));
create policy "command and admins set the working time" on case_working_time for update to authenticated
  using ((select app_role()) in ('admin', 'command')) with check ((select app_role()) in ('admin', 'command'));

create table work_calendar (
  day date primary key,
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null default ''
);
comment on table work_calendar is
  'Exceptions to Monday-to-Friday working: public holidays (holiday) and weekend days made working days (workday), as the year''s holiday schedule sets them.';
alter table work_calendar enable row level security;
grant select, insert, update, delete on work_calendar to authenticated;
create policy "members read the calendar" on work_calendar for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));
create policy "command and admins edit the calendar" on work_calendar for all to authenticated
  using ((select app_role()) in ('admin', 'command')) with check ((select app_role()) in ('admin', 'command'));

-- The State Council's schedule for 2026 (国办发明电〔2025〕7号); later years are added by the command centre.
insert into work_calendar (day, kind, name) values
  ('2026-01-01', 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'), ('2026-01-03', 'holiday', '元旦'),
  ('2026-01-04', 'workday', '元旦调休'),
  ('2026-02-14', 'workday', '春节调休'),
  ('2026-02-15', 'holiday', '春节'), ('2026-02-16', 'holiday', '春节'), ('2026-02-17', 'holiday', '春节'),
  ('2026-02-18', 'holiday', '春节'), ('2026-02-19', 'holiday', '春节'), ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'), ('2026-02-22', 'holiday', '春节'), ('2026-02-23', 'holiday', '春节'),
  ('2026-02-28', 'workday', '春节调休'),
  ('2026-04-04', 'holiday', '清明节'), ('2026-04-05', 'holiday', '清明节'), ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'), ('2026-05-02', 'holiday', '劳动节'), ('2026-05-03', 'holiday', '劳动节'),
  ('2026-05-04', 'holiday', '劳动节'), ('2026-05-05', 'holiday', '劳动节'),
  ('2026-05-09', 'workday', '劳动节调休'),
  ('2026-06-19', 'holiday', '端午节'), ('2026-06-20', 'holiday', '端午节'), ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-20', 'workday', '国庆节调休'),
  ('2026-09-25', 'holiday', '中秋节'), ('2026-09-26', 'holiday', '中秋节'), ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'), ('2026-10-02', 'holiday', '国庆节'), ('2026-10-03', 'holiday', '国庆节'),
  ('2026-10-04', 'holiday', '国庆节'), ('2026-10-05', 'holiday', '国庆节'), ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-10-10', 'workday', '国庆节调休');

create table case_time_limits (
  category text not null check (length(btrim(category)) > 0),
  severity smallint not null check (severity between 0 and 4),
  stage text not null check (stage in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered', 'closed')),
  hours numeric not null check (hours > 0 and hours <= 2000),
  primary key (category, severity, stage)
);
comment on table case_time_limits is
  'Working hours a case may stay in a stage, by category (''*'': any) and severity (0: any); the most specific row applies (category and severity both named, before one of them, before neither), and of two as specific the shorter limit. A stage without a row has no deadline.';
alter table case_time_limits enable row level security;
grant select, insert, update, delete on case_time_limits to authenticated;
create policy "members read the time limits" on case_time_limits for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));
create policy "command and admins edit the time limits" on case_time_limits for all to authenticated
  using ((select app_role()) in ('admin', 'command')) with check ((select app_role()) in ('admin', 'command'));

-- Defaults in the manner of the 12345 hotlines: register and dispatch within two working hours,
-- acknowledge within half a day, answer within five working days, verify within one; urgent
-- cases (severity 4) within hours.
insert into case_time_limits (category, severity, stage, hours) values
  ('*', 0, 'reported', 2), ('*', 0, 'registered', 2), ('*', 0, 'escalated', 4), ('*', 0, 'dispatched', 4),
  ('*', 0, 'in_progress', 35), ('*', 0, 'answered', 7), ('*', 0, 'closed', 35),
  ('*', 4, 'reported', 0.5), ('*', 4, 'registered', 0.5), ('*', 4, 'escalated', 1), ('*', 4, 'dispatched', 1),
  ('*', 4, 'in_progress', 7), ('*', 4, 'answered', 4),
  ('消防安全', 0, 'in_progress', 14), ('安全生产', 0, 'in_progress', 14), ('食品安全', 0, 'in_progress', 14);

create table case_routes (
  id bigint generated always as identity primary key,
  category text not null check (length(btrim(category)) > 0),
  area_code text not null default '' check (area_code ~ '^([0-9]{9}|[0-9]{12})?$'),
  department_id text not null references departments (id) on delete cascade,
  unique (category, area_code)
);
comment on table case_routes is
  'Routing rules: cases of a category (''*'': any) in an area (a street''s or community''s code; '''': the whole district) go to a department. The most specific rule proposes the department: its category first, then the smallest area.';
alter table case_routes enable row level security;
grant select, insert, update, delete on case_routes to authenticated;
create policy "members read the routes" on case_routes for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));
create policy "command and admins edit the routes" on case_routes for all to authenticated
  using ((select app_role()) in ('admin', 'command')) with check ((select app_role()) in ('admin', 'command'));

alter table cases add column stage_started_at timestamptz not null default now();
alter table cases add column deadline_at timestamptz;
alter table cases add column proposed_department_id text references departments (id) on delete set null;
comment on column cases.deadline_at is 'When the current stage''s time limit runs out (working hours, set by the database when the stage began); null: no limit.';
comment on column cases.proposed_department_id is 'The department the routing rules propose; the dispatcher confirms or changes it.';
create index cases_deadline_idx on cases (deadline_at);
create index cases_reported_at_idx on cases (reported_at);

alter table case_trace add column actor_name text not null default '';
alter table case_trace add column deadline_at timestamptz;
comment on column case_trace.deadline_at is 'The deadline of the stage this step ended (null: none); the step was on time when at <= deadline_at.';

create function is_working_day(p_day date) returns boolean
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce((select w.kind = 'workday' from work_calendar w where w.day = p_day), extract(isodow from p_day) < 6)
$$;
comment on function is_working_day(date) is 'Whether a day is a working day: Monday to Friday unless the calendar makes it a holiday, or a weekend day the calendar makes a working day.';
revoke all on function is_working_day(date) from public, anon;
grant execute on function is_working_day(date) to authenticated, service_role;

create function add_working_hours(p_start timestamptz, p_hours numeric) returns timestamptz
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  w case_working_time%rowtype;
  here timestamp;
  day date;
  clock time;
  left_over interval := make_interval(secs => p_hours * 3600);
  period_start time;
  period_end time;
  begin_at time;
begin
  if p_hours is null then
    return null;
  end if;
  if p_hours < 0 then
    raise exception using errcode = '22023', message = format('working hours must be 0 or more, not %s', p_hours);
  end if;
  select * into w from case_working_time;
  here := p_start at time zone w.time_zone;
  day := here::date;
  clock := here::time;
  -- Ten years of days at most: a calendar of holidays only would otherwise never end.
  for i in 0 .. 3660 loop
    if is_working_day(day) then
      for k in 1 .. 2 loop
        period_start := case k when 1 then w.am_start else w.pm_start end;
        period_end := case k when 1 then w.am_end else w.pm_end end;
        if clock < period_end then
          begin_at := greatest(clock, period_start);
          if left_over <= period_end - begin_at then
            return (day + begin_at + left_over) at time zone w.time_zone;
          end if;
          left_over := left_over - (period_end - begin_at);
        end if;
      end loop;
    end if;
    day := day + 1;
    clock := '00:00';
  end loop;
  raise exception using errcode = '22023', message = 'no working time within ten years: check the calendar';
end
$$;
comment on function add_working_hours(timestamptz, numeric) is
  'The moment a number of working hours after a start: counted in the working periods of working days (case_working_time, is_working_day); null hours, null.';
revoke all on function add_working_hours(timestamptz, numeric) from public, anon;
grant execute on function add_working_hours(timestamptz, numeric) to authenticated, service_role;

create function working_hours_between(p_from timestamptz, p_to timestamptz) returns numeric
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  w case_working_time%rowtype;
  a timestamp;
  b timestamp;
  day date;
  total interval := interval '0';
  period_start timestamp;
  period_end timestamp;
begin
  if p_from is null or p_to is null then
    return null;
  end if;
  if p_to < p_from then
    return -working_hours_between(p_to, p_from);
  end if;
  select * into w from case_working_time;
  a := p_from at time zone w.time_zone;
  b := p_to at time zone w.time_zone;
  day := a::date;
  while day <= b::date loop
    if is_working_day(day) then
      for k in 1 .. 2 loop
        period_start := greatest(a, day + case k when 1 then w.am_start else w.pm_start end);
        period_end := least(b, day + case k when 1 then w.am_end else w.pm_end end);
        if period_end > period_start then
          total := total + (period_end - period_start);
        end if;
      end loop;
    end if;
    day := day + 1;
  end loop;
  return round(extract(epoch from total) / 3600, 2);
end
$$;
comment on function working_hours_between(timestamptz, timestamptz) is
  'Working hours from one moment to another (negative when the second is earlier), to two decimals.';
revoke all on function working_hours_between(timestamptz, timestamptz) from public, anon;
grant execute on function working_hours_between(timestamptz, timestamptz) to authenticated, service_role;

create function case_stage_hours(p_category text, p_severity integer, p_stage text) returns numeric
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select l.hours from case_time_limits l
  where l.stage = p_stage and l.category in (p_category, '*') and l.severity in (p_severity, 0)
  order by (l.category = p_category)::int + (l.severity = p_severity)::int desc, l.hours
  limit 1
$$;
comment on function case_stage_hours(text, integer, text) is 'The time limit in working hours of a stage for a category and severity (the most specific row of case_time_limits, the shorter of two as specific), or null.';
revoke all on function case_stage_hours(text, integer, text) from public, anon;
grant execute on function case_stage_hours(text, integer, text) to authenticated, service_role;

create function propose_department(p_category text, p_community_code text) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('departmentId', r.department_id, 'routeId', r.id, 'category', r.category, 'areaCode', r.area_code)
  from case_routes r
  where r.category in (p_category, '*')
    and (r.area_code = '' or left(coalesce(p_community_code, ''), length(r.area_code)) = r.area_code)
  order by (r.category = p_category) desc, length(r.area_code) desc
  limit 1
$$;
comment on function propose_department(text, text) is
  'The department the routing rules propose for a category in a community: the rule of that category before the rule of any category, then the smallest area; null without a rule.';
revoke all on function propose_department(text, text) from public, anon;
grant execute on function propose_department(text, text) to authenticated, service_role;

create function set_case_working_time(p_time_zone text, p_am_start time, p_am_end time, p_pm_start time, p_pm_end time) returns void
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
begin
  if not exists (select 1 from pg_timezone_names where name = p_time_zone) then
    raise exception using errcode = '22023', message = format('unknown time zone %s', p_time_zone);
  end if;
  update case_working_time set time_zone = p_time_zone, am_start = p_am_start, am_end = p_am_end, pm_start = p_pm_start, pm_end = p_pm_end;
  if not found then
    raise exception using errcode = '42501', message = 'only the command centre and administrators set the working time';
  end if;
end
$$;
comment on function set_case_working_time(text, time, time, time, time) is 'Sets the working periods case time limits count in (command centre and administrators, under RLS).';
revoke all on function set_case_working_time(text, time, time, time, time) from public, anon;
grant execute on function set_case_working_time(text, time, time, time, time) to authenticated, service_role;

create function set_work_calendar_day(p_day date, p_kind text, p_name text default '') returns void
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators edit the calendar';
  end if;
  if p_kind is null then
    delete from work_calendar where day = p_day;
  else
    insert into work_calendar (day, kind, name) values (p_day, p_kind, coalesce(p_name, ''))
    on conflict (day) do update set kind = excluded.kind, name = excluded.name;
  end if;
end
$$;
comment on function set_work_calendar_day(date, text, text) is 'Makes a day a holiday or a working day (p_kind null: back to the weekday rule); command centre and administrators.';
revoke all on function set_work_calendar_day(date, text, text) from public, anon;
grant execute on function set_work_calendar_day(date, text, text) to authenticated, service_role;

create function set_case_time_limit(p_category text, p_severity integer, p_stage text, p_hours numeric) returns void
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators edit the time limits';
  end if;
  if p_hours is null then
    delete from case_time_limits where category = p_category and severity = p_severity and stage = p_stage;
  else
    insert into case_time_limits (category, severity, stage, hours) values (p_category, p_severity, p_stage, p_hours)
    on conflict (category, severity, stage) do update set hours = excluded.hours;
  end if;
end
$$;
comment on function set_case_time_limit(text, integer, text, numeric) is
  'Sets the working hours of a stage for a category and severity (p_hours null: removes the row); command centre and administrators. Deadlines of stages already begun stay.';
revoke all on function set_case_time_limit(text, integer, text, numeric) from public, anon;
grant execute on function set_case_time_limit(text, integer, text, numeric) to authenticated, service_role;

create function set_case_route(p_category text, p_area_code text, p_department text) returns void
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators edit the routing rules';
  end if;
  if p_department is null then
    delete from case_routes where category = p_category and area_code = coalesce(p_area_code, '');
  else
    if not exists (select 1 from departments d where d.id = p_department) then
      raise exception using errcode = '22023', message = format('no department %s', p_department);
    end if;
    insert into case_routes (category, area_code, department_id) values (p_category, coalesce(p_area_code, ''), p_department)
    on conflict (category, area_code) do update set department_id = excluded.department_id;
  end if;
end
$$;
comment on function set_case_route(text, text, text) is 'Routes a category in an area to a department (p_department null: removes the rule); command centre and administrators.';
revoke all on function set_case_route(text, text, text) from public, anon;
grant execute on function set_case_route(text, text, text) to authenticated, service_role;

create function case_settings() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'workingTime', (select jsonb_build_object('timeZone', w.time_zone, 'amStart', to_char(w.am_start, 'HH24:MI'), 'amEnd', to_char(w.am_end, 'HH24:MI'),
                                              'pmStart', to_char(w.pm_start, 'HH24:MI'), 'pmEnd', to_char(w.pm_end, 'HH24:MI'))
                    from case_working_time w),
    'calendar', coalesce((select jsonb_agg(jsonb_build_object('day', c.day, 'kind', c.kind, 'name', c.name) order by c.day) from work_calendar c), '[]'),
    'timeLimits', coalesce((select jsonb_agg(jsonb_build_object('category', l.category, 'severity', l.severity, 'stage', l.stage, 'hours', l.hours)
                                             order by l.category, l.severity, l.stage) from case_time_limits l), '[]'),
    'routes', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'category', r.category, 'areaCode', r.area_code, 'departmentId', r.department_id)
                                         order by r.category, r.area_code) from case_routes r), '[]'))
$$;
comment on function case_settings() is 'The working time, calendar, time limits and routing rules, as the caller may read them.';
revoke all on function case_settings() from public, anon;
grant execute on function case_settings() to authenticated, service_role;

create function list_departments() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'name', d.name) order by d.name), '[]') from departments d
$$;
comment on function list_departments() is 'The departments cases may be dispatched to, by name.';
revoke all on function list_departments() from public, anon;
grant execute on function list_departments() to authenticated, service_role;

create or replace function report_case(p_source text, p_category text, p_severity integer, p_description text, p_lon double precision,
                                       p_lat double precision, p_event_id uuid default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  reported cases%rowtype;
begin
  if role not in ('admin', 'command', 'worker') then
    raise exception using errcode = '42501', message = format('role %s may not report cases', role);
  end if;
  insert into cases (source, category, severity, description, geom, event_id, reported_by)
  values (p_source, p_category, p_severity, coalesce(p_description, ''), ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326), p_event_id, auth.uid())
  returning * into reported;
  if role = 'worker' and not is_own_cell(reported.cell_code) then
    raise exception using errcode = '42501', message = 'a grid worker reports cases in their own cells only';
  end if;
  update cases
  set deadline_at = add_working_hours(reported.reported_at, case_stage_hours(reported.category, reported.severity, 'reported')),
      stage_started_at = reported.reported_at,
      proposed_department_id = propose_department(reported.category, reported.community_code) ->> 'departmentId'
  where id = reported.id
  returning * into reported;
  insert into case_trace (case_id, action, from_state, to_state, actor, actor_role, actor_name, note)
  values (reported.id, 'report', null, 'reported', auth.uid(), role, coalesce((select m.display_name from members m where m.user_id = auth.uid()), ''),
          coalesce(p_description, ''));
  return jsonb_build_object('id', reported.id, 'code', reported.code, 'state', reported.state, 'cellCode', reported.cell_code,
                            'version', reported.version, 'deadlineAt', reported.deadline_at, 'proposedDepartmentId', reported.proposed_department_id);
end
$$;
comment on function report_case(text, text, integer, text, double precision, double precision, uuid) is
  'Reports a case at a WGS-84 position (admins and command anywhere, grid workers in their own cells), state reported, with its first trace row, the deadline to register it and the department the routing rules propose; returns {id, code, state, cellCode, version, deadlineAt, proposedDepartmentId}.';

create or replace function transition_case(p_case uuid, p_action text, p_note text default '', p_department text default null,
                                           p_expected_version integer default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  c cases%rowtype;
  step case_actions%rowtype;
  allowed text[];
  left_deadline timestamptz;
begin
  -- The case is locked: two transitions of one case run one after the other, never interleaved.
  select * into c from cases where id = p_case for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no case %s', p_case);
  end if;
  -- Who may not see the case may not act on it either (and learns nothing about it).
  if not (role in ('admin', 'command')
          or (role = 'department' and c.department_id = member_department())
          or (role = 'worker' and (is_own_cell(c.cell_code) or c.reported_by = auth.uid()))) then
    raise exception using errcode = 'P0002', message = format('no case %s', p_case);
  end if;
  if p_expected_version is not null and p_expected_version <> c.version then
    raise exception using errcode = '40001',
      message = format('case %s changed meanwhile: it is %s now (version %s, not %s)', c.code, c.state, c.version, p_expected_version);
  end if;
  allowed := case_allowed_actions(c.state, role);
  select * into step from case_actions where action = p_action and from_state = c.state;
  if not found or not (role = any (step.roles)) or (role = 'worker' and not is_own_cell(c.cell_code)) then
    raise exception using errcode = '22023',
      message = format('case %s is %s: "%s" is not a next step for role %s (allowed: %s)', c.code, c.state, p_action, role,
                       coalesce(nullif(array_to_string(allowed, ', '), ''), 'none')),
      detail = json_build_object('state', c.state, 'allowed', allowed)::text;
  end if;
  if step.needs_note and btrim(coalesce(p_note, '')) = '' then
    raise exception using errcode = '22023', message = format('"%s" needs a reason (a note)', p_action);
  end if;
  if p_action = 'dispatch' then
    if p_department is null or not exists (select 1 from departments d where d.id = p_department) then
      raise exception using errcode = '22023', message = format('"dispatch" needs a department, and %s is none', coalesce(p_department, 'nothing'));
    end if;
    c.department_id := p_department;
  end if;
  left_deadline := c.deadline_at;
  update cases
  set state = step.to_state, department_id = c.department_id, version = version + 1, updated_at = now(), stage_started_at = now(),
      deadline_at = add_working_hours(now(), case_stage_hours(c.category, c.severity, step.to_state))
  where id = c.id
  returning * into c;
  insert into case_trace (case_id, action, from_state, to_state, actor, actor_role, actor_name, department_id, note, deadline_at)
  values (c.id, p_action, step.from_state, step.to_state, auth.uid(), role,
          coalesce((select m.display_name from members m where m.user_id = auth.uid()), ''), c.department_id, coalesce(p_note, ''), left_deadline);
  return jsonb_build_object('id', c.id, 'code', c.code, 'state', c.state, 'departmentId', c.department_id, 'version', c.version,
                            'deadlineAt', c.deadline_at, 'allowed', to_jsonb(case_allowed_actions(c.state, role)));
end
$$;
comment on function transition_case(uuid, text, text, text, integer) is
  'Takes a case one step (case_actions): locks it, checks the caller may see it and take the step from its state (else 22023 naming the state and the allowed steps), the reason where one is needed, the department for a dispatch and the version the caller saw (else 40001); writes the state, the new stage''s deadline and a trace row (with the deadline of the stage it ended) in one transaction. Returns {id, code, state, departmentId, version, deadlineAt, allowed}.';

-- Open cases of an earlier version of this schema get the deadline of the stage they are in.
update cases set deadline_at = add_working_hours(updated_at, case_stage_hours(category, severity, state)), stage_started_at = updated_at;

create function list_cases(p_filter jsonb default '{}', p_limit integer default 100, p_offset integer default 0) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  f jsonb := coalesce(p_filter, '{}');
  states text[] := case when jsonb_typeof(f -> 'states') = 'array' then array(select jsonb_array_elements_text(f -> 'states')) end;
  open_states constant text[] := '{reported,registered,escalated,dispatched,in_progress,answered}';
  result jsonb;
begin
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception using errcode = '22023', message = format('p_limit must be 1 to 1000, not %s', p_limit);
  end if;
  with picked as (
    select c.*, (c.state = any (open_states) and c.deadline_at < now()) as overdue
    from cases c
    where (states is null or c.state = any (states))
      and (not coalesce((f ->> 'overdue')::boolean, false) or (c.state = any (open_states) and c.deadline_at < now()))
      and (f ->> 'category' is null or c.category = f ->> 'category')
      and (f ->> 'source' is null or c.source = f ->> 'source')
      and (f ->> 'severity' is null or c.severity = (f ->> 'severity')::smallint)
      and (f ->> 'cellCode' is null or c.cell_code = f ->> 'cellCode')
      and (f ->> 'areaCode' is null or c.community_code like (f ->> 'areaCode') || '%')
      and (f ->> 'departmentId' is null or c.department_id = f ->> 'departmentId')
      and (f ->> 'from' is null or c.reported_at >= (f ->> 'from')::timestamptz)
      and (f ->> 'to' is null or c.reported_at < (f ->> 'to')::timestamptz)
      and (f ->> 'text' is null or c.code ilike '%' || (f ->> 'text') || '%' or c.description ilike '%' || (f ->> 'text') || '%')
  ), page as (
    select p.*, row_number() over (order by
      case when coalesce(f ->> 'sort', 'deadline') = 'deadline' then (p.state = any (open_states)) end desc nulls last,
      case when coalesce(f ->> 'sort', 'deadline') = 'deadline' then p.deadline_at end asc nulls last,
      p.reported_at desc, p.code) as ord
    from picked p
    order by ord
    limit p_limit offset greatest(coalesce(p_offset, 0), 0)
  )
  select jsonb_build_object(
    'total', (select count(*) from picked),
    'overdue', (select count(*) from picked where overdue),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
      'id', p.id, 'code', p.code, 'state', p.state, 'category', p.category, 'severity', p.severity, 'source', p.source,
      'cellCode', p.cell_code, 'communityCode', p.community_code, 'departmentId', p.department_id,
      'departmentName', (select d.name from departments d where d.id = p.department_id),
      'description', left(p.description, 200), 'reportedAt', p.reported_at, 'updatedAt', p.updated_at,
      'deadlineAt', p.deadline_at, 'overdue', p.overdue, 'lngLat', jsonb_build_array(ST_X(p.geom), ST_Y(p.geom)))
      order by p.ord) from page p), '[]'))
  into result;
  return result;
end
$$;
comment on function list_cases(jsonb, integer, integer) is
  'A page of the cases the caller may read (RLS), filtered by {states[], overdue, category, source, severity, cellCode, areaCode (a street''s or community''s code), departmentId, from, to, text} and sorted by {sort: deadline (open cases by deadline, default) | reported}; {total, overdue, rows}. Overdue is decided here, against now().';
revoke all on function list_cases(jsonb, integer, integer) from public, anon;
grant execute on function list_cases(jsonb, integer, integer) to authenticated, service_role;

create function case_detail(p_id uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'id', c.id, 'code', c.code, 'state', c.state, 'category', c.category, 'severity', c.severity, 'source', c.source,
    'description', c.description, 'eventId', c.event_id, 'cellCode', c.cell_code, 'communityCode', c.community_code,
    'outsideDistrict', c.outside_district, 'lngLat', jsonb_build_array(ST_X(c.geom), ST_Y(c.geom)),
    'departmentId', c.department_id, 'departmentName', (select d.name from departments d where d.id = c.department_id),
    'proposedDepartmentId', c.proposed_department_id,
    'reportedAt', c.reported_at, 'updatedAt', c.updated_at, 'version', c.version,
    'stageStartedAt', c.stage_started_at, 'deadlineAt', c.deadline_at,
    'overdue', c.state in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered') and c.deadline_at < now(),
    'workingHoursLeft', case when c.state in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered')
                             then working_hours_between(now(), c.deadline_at) end,
    'allowed', to_jsonb(case when app_role() = 'worker' and not is_own_cell(c.cell_code) then '{}'::text[]
                             when app_role() = 'department' and c.department_id is distinct from member_department() then '{}'::text[]
                             else case_allowed_actions(c.state, app_role()) end),
    'trace', coalesce((select jsonb_agg(jsonb_build_object(
        'action', t.action, 'fromState', t.from_state, 'toState', t.to_state, 'actorName', t.actor_name, 'actorRole', t.actor_role,
        'departmentId', t.department_id, 'note', t.note, 'at', t.at, 'deadlineAt', t.deadline_at,
        'late', t.deadline_at is not null and t.at > t.deadline_at) order by t.id)
      from case_trace t where t.case_id = c.id), '[]'))
  from cases c where c.id = p_id
$$;
comment on function case_detail(uuid) is
  'A case the caller may read (RLS; null otherwise) with its deadline, working hours left, overdue flag (decided against now()), the steps the caller may take and the trace, oldest first, each step marked late when it ended its stage after the deadline.';
revoke all on function case_detail(uuid) from public, anon;
grant execute on function case_detail(uuid) to authenticated, service_role;
