-- Purpose: patrol check-in (巡查签到, issue 24). A grid worker records a patrol of one of their
--          cells: its start, the positions the phone gave along the way (the track) and its
--          end with a note. The command centre sees the patrols (live_now counts those under
--          way); a cell's inspector shows when it was last patrolled. Each start carries a key
--          the phone made (a report queued offline is sent once: the same key gives the same
--          patrol back).
-- Tables: patrols (new; row level security: the worker their own, admins, the command centre and
--         planners all; written through the functions only).
-- Functions: start_patrol, add_patrol_positions, end_patrol, cell_patrols, patrols_under_way (new).
-- Destructive: none.

create table patrols (
  id uuid primary key default gen_random_uuid(),
  client_key uuid not null unique,
  cell_code text not null,
  worker uuid not null,
  worker_name text not null default '',
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  -- [[lng, lat, epoch ms], …] as the phone gave them, in order; the track is drawn from them.
  positions jsonb not null default '[]' check (jsonb_typeof(positions) = 'array'),
  note text not null default '' check (char_length(note) <= 2000),
  check (ended_at is null or ended_at >= started_at)
);
comment on table patrols is
  'Patrols of grid cells by their grid workers (巡查): start, end, the positions along the way and a note; client_key makes a start sent twice (offline, then again) one patrol. Written by start_patrol, add_patrol_positions and end_patrol.';
create index patrols_cell_idx on patrols (cell_code, started_at desc);
create index patrols_open_idx on patrols (worker) where ended_at is null;
alter table patrols enable row level security;
grant select on patrols to authenticated;
create policy "workers read their own patrols" on patrols for select to authenticated
  using ((select app_role()) = 'worker' and worker = (select auth.uid()));
create policy "admins, command and planners read patrols" on patrols for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'planner'));

-- The patrol as the app shows it.
create function patrol_json(p patrols) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'id', p.id, 'cellCode', p.cell_code, 'workerName', p.worker_name, 'startedAt', p.started_at, 'endedAt', p.ended_at,
    'note', p.note, 'positions', jsonb_array_length(p.positions),
    'minutes', round((extract(epoch from (coalesce(p.ended_at, now()) - p.started_at)) / 60)::numeric, 1),
    'lengthMeters', case when jsonb_array_length(p.positions) >= 2 then round(ST_Length(ST_MakeLine(array(
        select ST_SetSRID(ST_MakePoint((x ->> 0)::float8, (x ->> 1)::float8), 4326) from jsonb_array_elements(p.positions) x))::geography)::numeric, 1)
      else 0 end,
    'track', case when jsonb_array_length(p.positions) >= 1 then (select jsonb_agg(jsonb_build_array(x -> 0, x -> 1)) from jsonb_array_elements(p.positions) x) end)
$$;
comment on function patrol_json(patrols) is 'A patrol as the app shows it: cell, worker, start, end, minutes, positions, length of the track in metres (geodesic), the track as [[lng, lat], …].';
revoke all on function patrol_json(patrols) from public, anon;
grant execute on function patrol_json(patrols) to authenticated, service_role;

-- Checks the positions a phone sent: [[lng, lat, epoch ms], …], at most 500 at a time.
create function patrol_positions_checked(p_positions jsonb) returns jsonb
language plpgsql immutable
set search_path = public, extensions, pg_temp
as $$
declare
  v_i integer := 0;
  v_x jsonb;
begin
  if jsonb_typeof(p_positions) is distinct from 'array' or jsonb_array_length(p_positions) > 500 then
    raise exception using errcode = '22023', message = 'positions come as a list of at most 500 [lng, lat, time] at a time';
  end if;
  for v_x in select value from jsonb_array_elements(p_positions) loop
    v_i := v_i + 1;
    if jsonb_typeof(v_x) <> 'array' or jsonb_array_length(v_x) <> 3
       or jsonb_typeof(v_x -> 0) <> 'number' or jsonb_typeof(v_x -> 1) <> 'number' or jsonb_typeof(v_x -> 2) <> 'number'
       or (v_x ->> 0)::float8 not between 73 and 136 or (v_x ->> 1)::float8 not between 3 and 54 then
      raise exception using errcode = '22023', message = format('position %s is not [longitude, latitude, time] in China: %s', v_i, v_x);
    end if;
  end loop;
  return p_positions;
end
$$;
comment on function patrol_positions_checked(jsonb) is 'Returns the positions when each is [lng, lat, epoch ms] in China (at most 500), else fails naming the first bad one by its place.';
revoke all on function patrol_positions_checked(jsonb) from public, anon, authenticated;
grant execute on function patrol_positions_checked(jsonb) to service_role;

create function start_patrol(p_cell text, p_key uuid, p_positions jsonb default '[]') returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_patrol patrols%rowtype;
begin
  if p_key is null then
    raise exception using errcode = '22023', message = 'a patrol starts with the key the app made for it';
  end if;
  -- Sent again (the phone was offline when the answer came): the patrol it started.
  select * into v_patrol from patrols where client_key = p_key;
  if found then
    if v_patrol.worker is distinct from auth.uid() then
      raise exception using errcode = '42501', message = 'that key is another member''s patrol';
    end if;
    return patrol_json(v_patrol);
  end if;
  if app_role() <> 'worker' or not is_own_cell(p_cell) then
    raise exception using errcode = '42501', message = format('only the grid worker of cell %s patrols it', coalesce(p_cell, ''));
  end if;
  if exists (select 1 from patrols where worker = auth.uid() and ended_at is null) then
    raise exception using errcode = '23505', message = format('a patrol of cell %s is under way: end it first',
      (select cell_code from patrols where worker = auth.uid() and ended_at is null limit 1));
  end if;
  insert into patrols (client_key, cell_code, worker, worker_name, positions)
  values (p_key, p_cell, auth.uid(), coalesce((select m.display_name from members m where m.user_id = auth.uid()), ''),
          patrol_positions_checked(coalesce(p_positions, '[]')))
  returning * into v_patrol;
  return patrol_json(v_patrol);
end
$$;
comment on function start_patrol(text, uuid, jsonb) is
  'Starts the caller''s patrol of one of their cells (grid workers), with the first positions; the same key again returns the same patrol (sent twice). Refused while another of theirs is under way.';
revoke all on function start_patrol(text, uuid, jsonb) from public, anon;
grant execute on function start_patrol(text, uuid, jsonb) to authenticated, service_role;

create function add_patrol_positions(p_patrol uuid, p_positions jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_patrol patrols%rowtype;
begin
  select * into v_patrol from patrols where id = p_patrol for update;
  if not found or v_patrol.worker is distinct from auth.uid() then
    raise exception using errcode = 'P0002', message = format('there is no patrol %s of yours', p_patrol);
  end if;
  if v_patrol.ended_at is not null then
    raise exception using errcode = '22023', message = format('the patrol of cell %s ended at %s', v_patrol.cell_code, v_patrol.ended_at);
  end if;
  update patrols set positions = positions || patrol_positions_checked(p_positions) where id = p_patrol returning * into v_patrol;
  return patrol_json(v_patrol);
end
$$;
comment on function add_patrol_positions(uuid, jsonb) is 'Adds positions to the track of the caller''s patrol under way.';
revoke all on function add_patrol_positions(uuid, jsonb) from public, anon;
grant execute on function add_patrol_positions(uuid, jsonb) to authenticated, service_role;

create function end_patrol(p_patrol uuid, p_note text default '', p_positions jsonb default '[]') returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_patrol patrols%rowtype;
begin
  select * into v_patrol from patrols where id = p_patrol for update;
  if not found or v_patrol.worker is distinct from auth.uid() then
    raise exception using errcode = 'P0002', message = format('there is no patrol %s of yours', p_patrol);
  end if;
  -- Ended already (sent twice): as it ended.
  if v_patrol.ended_at is not null then
    return patrol_json(v_patrol);
  end if;
  if char_length(coalesce(p_note, '')) > 2000 then
    raise exception using errcode = '22023', message = 'the note is longer than 2,000 characters';
  end if;
  update patrols set ended_at = now(), note = coalesce(p_note, ''), positions = positions || patrol_positions_checked(coalesce(p_positions, '[]'))
  where id = p_patrol returning * into v_patrol;
  return patrol_json(v_patrol);
end
$$;
comment on function end_patrol(uuid, text, jsonb) is 'Ends the caller''s patrol with a note and its last positions; ended already, returns it as it ended.';
revoke all on function end_patrol(uuid, text, jsonb) from public, anon;
grant execute on function end_patrol(uuid, text, jsonb) to authenticated, service_role;

create function cell_patrols(p_cell text, p_limit integer default 5) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(q.j order by q.started_at desc), '[]')
  from (select patrol_json(p) j, p.started_at from patrols p where p.cell_code = p_cell
        order by p.started_at desc limit least(greatest(coalesce(p_limit, 5), 1), 50)) q
$$;
comment on function cell_patrols(text, integer) is 'The latest patrols of a cell the caller may read (RLS), newest first (at most 50).';
revoke all on function cell_patrols(text, integer) from public, anon;
grant execute on function cell_patrols(text, integer) to authenticated, service_role;

create function patrols_under_way() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(patrol_json(p) order by p.started_at desc), '[]') from patrols p where p.ended_at is null
$$;
comment on function patrols_under_way() is 'The patrols under way that the caller may read (RLS): the command centre sees every one, a worker their own.';
revoke all on function patrols_under_way() from public, anon;
grant execute on function patrols_under_way() to authenticated, service_role;

do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    alter publication supabase_realtime add table public.patrols;
  end if;
end
$$;
