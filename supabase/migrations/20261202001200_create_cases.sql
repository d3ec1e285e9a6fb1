-- Purpose: cases (案件), the closed loop from report to evaluation (issue 23, first part: the
--          state machine, its trace, departments and who sees what). A case is reported (by a
--          grid worker in their cells, the command centre or an administrator), registered,
--          dispatched to a department, handled and answered there, verified and closed, and
--          evaluated; it may be rejected as invalid, returned to dispatch, escalated, and reopened
--          after a failed verification. Every transition is one transaction that writes a trace
--          row (who, role, when, from, to, note); the trace is append-only for everyone.
--          What may follow what, and who may do it, is data (case_actions): an illegal step is
--          refused naming the case's state and the steps it allows.
-- Tables: departments, case_actions, cases, case_trace (new); members (new role 'department'
--         with department_id).
-- Functions: member_department, case_allowed_actions, report_case, transition_case (new).
-- Destructive: none.

create table departments (
  id text primary key check (id ~ '^[a-z0-9_-]{2,40}$'),
  name text not null check (length(btrim(name)) > 0),
  created_at timestamptz not null default now()
);
comment on table departments is 'Departments cases are dispatched to (城管, 环保 …); a department officer belongs to one.';
alter table departments enable row level security;
grant select on departments to authenticated;
grant insert, update, delete on departments to authenticated;
create policy "members read departments" on departments for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));
create policy "admins manage departments" on departments for all to authenticated
  using ((select app_role()) = 'admin') with check ((select app_role()) = 'admin');

alter table members drop constraint members_role_check;
alter table members add constraint members_role_check check (role in ('admin', 'command', 'worker', 'planner', 'department'));
alter table members add column department_id text references departments (id);
alter table members add constraint members_department_officer check ((role = 'department') = (department_id is not null));
comment on column members.department_id is 'The department of a department officer (role department); null for every other role.';

create function member_department() returns text
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select m.department_id from members m where m.user_id = auth.uid()
$$;
comment on function member_department() is 'The department of the signed-in department officer, or null (used by policies and the case functions).';
revoke all on function member_department() from public, anon;
grant execute on function member_department() to authenticated, service_role;

create table case_actions (
  action text not null,
  from_state text not null,
  to_state text not null,
  roles text[] not null,
  needs_note boolean not null default false,
  primary key (action, from_state)
);
comment on table case_actions is
  'The case state machine as data: an action takes a case from one state to another, for these roles (department: only the officers of the case''s department; worker: only in their own cells); needs_note: a reason is required.';
alter table case_actions enable row level security;
grant select on case_actions to authenticated;
create policy "members read the state machine" on case_actions for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));

insert into case_actions (action, from_state, to_state, roles, needs_note) values
  ('register', 'reported', 'registered', '{admin,command}', false),
  ('reject', 'reported', 'rejected', '{admin,command}', true),
  ('reject', 'registered', 'rejected', '{admin,command}', true),
  ('dispatch', 'registered', 'dispatched', '{admin,command}', false),
  ('dispatch', 'escalated', 'dispatched', '{admin,command}', false),
  ('escalate', 'registered', 'escalated', '{admin,command}', true),
  ('escalate', 'dispatched', 'escalated', '{admin,command,department}', true),
  ('escalate', 'in_progress', 'escalated', '{admin,command,department}', true),
  ('return', 'dispatched', 'registered', '{department}', true),
  ('return', 'in_progress', 'registered', '{department}', true),
  ('start', 'dispatched', 'in_progress', '{department}', false),
  ('answer', 'in_progress', 'answered', '{department}', true),
  ('verify', 'answered', 'closed', '{admin,command,worker}', false),
  ('reopen', 'answered', 'in_progress', '{admin,command,worker}', true),
  ('evaluate', 'closed', 'evaluated', '{admin,command}', false);

create sequence case_numbers;

create table cases (
  id uuid primary key default gen_random_uuid(),
  code text not null unique default ('AJ' || lpad(nextval('case_numbers')::text, 8, '0')),
  source text not null check (source in ('grid_worker', 'hotline', 'complaint', 'camera', 'department', 'sensor')),
  event_id uuid references events (id) on delete set null,
  category text not null check (length(btrim(category)) > 0),
  severity smallint not null check (severity between 1 and 4),
  description text not null default '' check (char_length(description) <= 4000),
  geom geometry(Point, 4326) not null
    check (ST_IsValid(geom) and ST_SRID(geom) = 4326 and ST_X(geom) between 73 and 136 and ST_Y(geom) between 3 and 54),
  cell_code text,
  community_code text,
  outside_district boolean not null default false,
  state text not null default 'reported'
    check (state in ('reported', 'registered', 'dispatched', 'in_progress', 'answered', 'closed', 'evaluated', 'rejected', 'escalated')),
  department_id text references departments (id),
  reported_by uuid not null,
  reported_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
comment on table cases is 'Cases (案件): a report with its position, cell and state in the closed loop; changed only through report_case and transition_case.';
comment on column cases.version is 'Counts the case''s transitions: a transition may name the version it saw, and is refused as a conflict when another came first.';
create index cases_cell_idx on cases (cell_code);
create index cases_state_idx on cases (state);
create index cases_department_idx on cases (department_id);
create index cases_geom_idx on cases using gist (geom);
create trigger cases_assign_cell before insert or update of geom, cell_code, community_code, outside_district on cases
  for each row execute function assign_cell();
alter table cases enable row level security;
grant select on cases to authenticated;
create policy "admins, command and planners read cases" on cases for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'planner'));
create policy "workers read cases in their cells and their own reports" on cases for select to authenticated
  using ((select app_role()) = 'worker' and (is_own_cell(cell_code) or reported_by = (select auth.uid())));
create policy "departments read the cases dispatched to them" on cases for select to authenticated
  using ((select app_role()) = 'department' and department_id = (select member_department()));

create table case_trace (
  id bigint generated always as identity primary key,
  case_id uuid not null references cases (id),
  action text not null,
  from_state text,
  to_state text not null,
  actor uuid not null,
  actor_role text not null,
  department_id text,
  note text not null default '',
  at timestamptz not null default now()
);
comment on table case_trace is 'Every step of every case: who (and in which role), when, from which state to which, with the note; append-only for everyone.';
create index case_trace_case_idx on case_trace (case_id, id);
create trigger case_trace_append_only before update or delete on case_trace
  for each row execute function history_is_append_only();
alter table case_trace enable row level security;
grant select on case_trace to authenticated;
-- The trace of a case is read by whoever may read the case (the subquery runs under the case's policies).
create policy "who reads a case reads its trace" on case_trace for select to authenticated
  using (exists (select 1 from cases c where c.id = case_trace.case_id));

create function case_allowed_actions(p_state text, p_role text) returns text[]
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(array_agg(a.action order by a.action), '{}') from case_actions a where a.from_state = p_state and p_role = any (a.roles)
$$;
comment on function case_allowed_actions(text, text) is 'The actions a role may take on a case in a state, by name (from case_actions).';
revoke all on function case_allowed_actions(text, text) from public, anon;
grant execute on function case_allowed_actions(text, text) to authenticated, service_role;

create function report_case(p_source text, p_category text, p_severity integer, p_description text, p_lon double precision,
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
  insert into case_trace (case_id, action, from_state, to_state, actor, actor_role, note)
  values (reported.id, 'report', null, 'reported', auth.uid(), role, coalesce(p_description, ''));
  return jsonb_build_object('id', reported.id, 'code', reported.code, 'state', reported.state, 'cellCode', reported.cell_code,
                            'version', reported.version);
end
$$;
comment on function report_case(text, text, integer, text, double precision, double precision, uuid) is
  'Reports a case at a WGS-84 position (admins and command anywhere, grid workers in their own cells), state reported, with its first trace row; returns {id, code, state, cellCode, version}.';
revoke all on function report_case(text, text, integer, text, double precision, double precision, uuid) from public, anon;
grant execute on function report_case(text, text, integer, text, double precision, double precision, uuid) to authenticated, service_role;

create function transition_case(p_case uuid, p_action text, p_note text default '', p_department text default null,
                                p_expected_version integer default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  c cases%rowtype;
  step case_actions%rowtype;
  allowed text[];
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
  update cases set state = step.to_state, department_id = c.department_id, version = version + 1, updated_at = now()
  where id = c.id
  returning * into c;
  insert into case_trace (case_id, action, from_state, to_state, actor, actor_role, department_id, note)
  values (c.id, p_action, step.from_state, step.to_state, auth.uid(), role, c.department_id, coalesce(p_note, ''));
  return jsonb_build_object('id', c.id, 'code', c.code, 'state', c.state, 'departmentId', c.department_id, 'version', c.version,
                            'allowed', to_jsonb(case_allowed_actions(c.state, role)));
end
$$;
comment on function transition_case(uuid, text, text, text, integer) is
  'Takes a case one step (case_actions): locks it, checks the caller may see it and take the step from its state (else 22023 naming the state and the allowed steps), the reason where one is needed, the department for a dispatch and the version the caller saw (else 40001); writes the state and a trace row in one transaction. Returns {id, code, state, departmentId, version, allowed}.';
revoke all on function transition_case(uuid, text, text, text, integer) from public, anon;
grant execute on function transition_case(uuid, text, text, text, integer) to authenticated, service_role;
