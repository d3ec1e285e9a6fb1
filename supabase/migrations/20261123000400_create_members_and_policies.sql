-- Purpose: schema v1, part 3: who may see and change what. Members carry an application role
--          (admin, command, worker, planner); workers are assigned cells. Row level security is
--          enabled on every table, with Supabase's auth.uid() conventions, so the same policies
--          hold on Supabase, PGlite and plain PostgreSQL.
-- Tables: members, worker_cells (new); policies on every table.
-- Destructive: nothing.

create table members (
  user_id uuid primary key,
  role text not null check (role in ('admin', 'command', 'worker', 'planner')),
  display_name text not null default '',
  created_at timestamptz not null default now()
);

comment on table members is 'Application users and their role; the role decides every policy below.';

create table worker_cells (
  user_id uuid not null references members (user_id) on delete cascade,
  cell_code text not null check (cell_code ~ '^[0-9]{15}$'),
  primary key (user_id, cell_code)
);

comment on table worker_cells is 'Cells a grid worker is responsible for; workers see only these.';

-- Returns the calling user's application role, or 'anon' when the caller is not a member.
-- Security definer: policies call it without needing read access to members.
create function app_role() returns text
language sql stable security definer
set search_path = public, extensions
as $$
  select coalesce((select m.role from members m where m.user_id = auth.uid()), 'anon')
$$;

-- Returns true when the calling user is a grid worker assigned to the given cell.
create function is_own_cell(p_cell_code text) returns boolean
language sql stable security definer
set search_path = public, extensions
as $$
  select exists (
    select 1 from worker_cells w
    where w.user_id = auth.uid() and w.cell_code = p_cell_code
  )
$$;

revoke all on function app_role() from public;
revoke all on function is_own_cell(text) from public;
grant execute on function app_role() to authenticated, service_role;
grant execute on function is_own_cell(text) to authenticated, service_role;

grant usage on schema public to anon, authenticated, service_role;
grant select, insert, update, delete on admin_areas, cells, entities, person_private, events, members, worker_cells
  to authenticated, service_role;
-- anon gets no grants at all; RLS below also gives it no rows.

alter table admin_areas enable row level security;
alter table cells enable row level security;
alter table entities enable row level security;
alter table person_private enable row level security;
alter table events enable row level security;
alter table members enable row level security;
alter table worker_cells enable row level security;

-- members
create policy "members read their own row" on members
  for select to authenticated using (user_id = auth.uid());
create policy "admins manage members" on members
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');

-- worker_cells
create policy "workers read their own assignments" on worker_cells
  for select to authenticated using (user_id = auth.uid());
create policy "admins and command read assignments" on worker_cells
  for select to authenticated using (app_role() in ('admin', 'command'));
create policy "admins manage assignments" on worker_cells
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');

-- admin_areas
create policy "members read admin areas" on admin_areas
  for select to authenticated using (app_role() in ('admin', 'command', 'worker', 'planner'));
create policy "admins manage admin areas" on admin_areas
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');

-- cells
create policy "admins, command and planners read cells" on cells
  for select to authenticated using (app_role() in ('admin', 'command', 'planner'));
create policy "workers read their own cells" on cells
  for select to authenticated using (app_role() = 'worker' and is_own_cell(code));
create policy "admins manage cells" on cells
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');

-- entities (no personal fields here; those are in person_private)
create policy "admins, command and planners read entities" on entities
  for select to authenticated using (app_role() in ('admin', 'command', 'planner'));
create policy "workers read entities in their own cells" on entities
  for select to authenticated using (app_role() = 'worker' and is_own_cell(cell_code));
create policy "admins manage entities" on entities
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');
create policy "workers add entities in their own cells" on entities
  for insert to authenticated with check (app_role() = 'worker' and is_own_cell(cell_code));
create policy "workers update entities in their own cells" on entities
  for update to authenticated
  using (app_role() = 'worker' and is_own_cell(cell_code))
  with check (app_role() = 'worker' and is_own_cell(cell_code));

-- person_private: planners and anon never; workers only in their own cells
create policy "admins manage personal fields" on person_private
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');
create policy "command reads personal fields" on person_private
  for select to authenticated using (app_role() = 'command');
create policy "workers read personal fields in their own cells" on person_private
  for select to authenticated using (
    app_role() = 'worker'
    and exists (select 1 from entities e where e.id = entity_id and is_own_cell(e.cell_code))
  );
create policy "workers write personal fields in their own cells" on person_private
  for insert to authenticated with check (
    app_role() = 'worker'
    and exists (select 1 from entities e where e.id = entity_id and is_own_cell(e.cell_code))
  );

-- events
create policy "admins, command and planners read events" on events
  for select to authenticated using (app_role() in ('admin', 'command', 'planner'));
create policy "workers read events in their own cells" on events
  for select to authenticated using (app_role() = 'worker' and is_own_cell(cell_code));
create policy "admins manage events" on events
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');
create policy "command updates events" on events
  for update to authenticated using (app_role() = 'command') with check (app_role() = 'command');
create policy "workers report events in their own cells" on events
  for insert to authenticated with check (
    app_role() = 'worker' and is_own_cell(cell_code) and reported_by = auth.uid()
  );
