-- Purpose: digital house plates (数字门牌, issue 24). Every door address and building of the
--          gazetteer gets a plate with an opaque code; its QR holds only that code and the app's
--          address. A sheet of plates prints for a cell or a community; scanning one opens the
--          building's page: address, cell, its grid workers, households and residents (by role,
--          as everywhere), places and organisations at the address, open cases nearby, and the
--          tenancy register. A grid worker records a tenant moving in (a person registered at
--          the door: floating population, rental housing) or a resident moving out (they leave
--          the register of people; the tenancy keeps the record).
--   * People live at a door when their address (person_private.address) starts with the
--     door's address: the rest is the unit and room (3单元104室), their household's place.
--   * Residents: admins and the grid worker of the cell see names, gender, birth year and
--     room; the command centre masked names and no room; planners and other grid workers counts only.
-- Tables: house_plates (new; read by every member, written by the trigger only), tenancies
--         (new; admins and the grid worker of the cell read them; written by the functions only).
-- Functions: issue_house_plate (trigger), plate_residents (internal), plates_sheet, plate_page,
--            record_move_in, record_move_out (new).
-- Destructive: none (people who move out are deleted from entities; their tenancy keeps the record).

create table house_plates (
  code text primary key check (code ~ '^[0-9A-F]{12}$'),
  address_id text not null unique references addresses (id) on delete cascade,
  issued_at timestamptz not null default now()
);
comment on table house_plates is
  'Digital house plates (数字门牌): one per door address or building of the gazetteer, with an opaque random code (12 hex digits) that the plate''s QR carries with the app''s address; never personal data. Issued by the trigger on addresses.';
alter table house_plates enable row level security;
grant select on house_plates to authenticated;
create policy "members read house plates" on house_plates for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner'));

-- Issues a plate for each new door or building address (security definer: the table has no
-- write grants; the admin importing addresses does not write plates themselves).
create function issue_house_plate() returns trigger
language plpgsql security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if new.kind in ('door', 'building') then
    insert into house_plates (code, address_id)
    values (upper(substr(md5(gen_random_uuid()::text), 1, 12)), new.id)
    on conflict (address_id) do nothing;
  end if;
  return new;
end
$$;
comment on function issue_house_plate() is 'Trigger on addresses: issues a house plate with a random opaque code for a new door or building address.';
revoke all on function issue_house_plate() from public, anon, authenticated;

create trigger addresses_issue_plate
  after insert on addresses
  for each row execute function issue_house_plate();

insert into house_plates (code, address_id)
select upper(substr(md5(gen_random_uuid()::text), 1, 12)), a.id
from addresses a where a.kind in ('door', 'building')
on conflict (address_id) do nothing;

create table tenancies (
  id uuid primary key default gen_random_uuid(),
  address_id text not null references addresses (id) on delete cascade,
  cell_code text,
  person_id uuid references entities (id) on delete set null,
  -- Who and where, kept when the person leaves the register (personal: read as person_private is).
  person_name text not null check (char_length(btrim(person_name)) between 1 and 50),
  room text not null default '' check (char_length(room) <= 30),
  moved_in_on date,
  moved_out_on date,
  recorded_by uuid not null,
  recorded_at timestamptz not null default clock_timestamp(),
  moved_out_by uuid,
  check (moved_out_on is null or moved_in_on is null or moved_out_on >= moved_in_on)
);
comment on table tenancies is
  'The tenancy register (租住登记) of house plates: who moved in at a door address and when, and when they moved out; moved_in_on is null for a resident who was there before the register. Personal: admins and the grid worker of the cell read it. Written by record_move_in and record_move_out.';
create index tenancies_address_idx on tenancies (address_id, moved_out_on);
create index tenancies_person_idx on tenancies (person_id) where moved_out_on is null;
alter table tenancies enable row level security;
grant select on tenancies to authenticated;
create policy "admins read tenancies" on tenancies for select to authenticated
  using ((select app_role()) = 'admin');
create policy "workers read tenancies in their own cells" on tenancies for select to authenticated
  using ((select app_role()) = 'worker' and is_own_cell(cell_code));

-- Lets a door's residents be found by address prefix without reading every person, and its
-- places and organisations by their address.
create index person_private_address_prefix_idx on person_private (address text_pattern_ops);
create index entities_address_idx on entities ((attributes ->> 'address')) where kind in ('place', 'organisation');

-- The people who live at a door address: their address starts with it (the rest is unit and room).
create function plate_residents(p_address text)
returns table (person_id uuid, room text)
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select p.entity_id, btrim(substr(p.address, char_length(p_address) + 1))
  from person_private p
  -- The range (byte order, as the index keeps it) finds them by the index; chr(1114111) sorts last.
  where p.address ~>=~ p_address and p.address ~<~ (p_address || chr(1114111))
$$;
comment on function plate_residents(text) is
  'The people whose address (person_private) starts with a door address, with the rest of it (unit and room). Internal: callers decide what of them a member sees.';
revoke all on function plate_residents(text) from public, anon, authenticated;
grant execute on function plate_residents(text) to service_role;

create function plates_sheet(p_cell text default null, p_community text default null) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_role text := app_role();
begin
  if v_role is null or v_role not in ('admin', 'command', 'worker', 'planner') then
    raise exception using errcode = '42501', message = 'only members print house plates';
  end if;
  if (p_cell is null) = (p_community is null) then
    raise exception using errcode = '22023', message = 'plates print for one cell or one community';
  end if;
  if v_role = 'worker' and p_cell is not null and not is_own_cell(p_cell) then
    raise exception using errcode = '42501', message = format('cell %s is not one of yours', p_cell);
  end if;
  if p_cell is not null and not exists (select 1 from cells c where c.code = p_cell and c.valid_to is null) then
    raise exception using errcode = 'P0002', message = format('no cell %s', p_cell);
  end if;
  if p_community is not null and not exists (select 1 from admin_areas a where a.code = p_community and a.level = 'community') then
    raise exception using errcode = 'P0002', message = format('no community %s', p_community);
  end if;
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
             'code', h.code, 'address', a.address, 'kind', a.kind,
             'door', nullif(a.road || a.house_number || a.building, ''),
             'cellCode', a.cell_code, 'cellName', c.name, 'communityName', cm.name,
             'workers', coalesce((select jsonb_agg(m.display_name order by m.display_name)
                                  from worker_cells w join members m on m.user_id = w.user_id
                                  where w.cell_code = a.cell_code and m.role = 'worker'), '[]'::jsonb))
             order by a.cell_code, a.road, nullif(regexp_replace(a.house_number, '\D', '', 'g'), '')::integer nulls last, a.address), '[]'::jsonb)
    from house_plates h
    join addresses a on a.id = h.address_id
    left join cells c on c.code = a.cell_code and c.valid_to is null
    left join admin_areas cm on cm.code = a.community_code
    where (p_cell is null or a.cell_code = p_cell)
      and (p_community is null or a.community_code = p_community)
      -- A grid worker prints their own cells' plates.
      and (v_role <> 'worker' or is_own_cell(a.cell_code))
  );
end
$$;
comment on function plates_sheet(text, text) is
  'The house plates of one cell or one community, in address order, as a sheet prints them: plate code, address, the door (road, number, building), cell code and name, community and the names of the cell''s grid workers (no personal data). Members; a grid worker only their own cells.';
revoke all on function plates_sheet(text, text) from public, anon;
grant execute on function plates_sheet(text, text) to authenticated, service_role;

create function plate_page(p_code text) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_role text := app_role();
  v_plate house_plates%rowtype;
  v_addr addresses%rowtype;
  v_own boolean;
  v_full boolean;
  v_masked boolean;
  v_people jsonb;
begin
  if v_role is null or v_role not in ('admin', 'command', 'worker', 'planner') then
    raise exception using errcode = '42501', message = 'only members open house plates';
  end if;
  select * into v_plate from house_plates where code = upper(btrim(p_code));
  if not found then
    return null;
  end if;
  select * into v_addr from addresses where id = v_plate.address_id;
  v_own := v_role = 'worker' and is_own_cell(v_addr.cell_code);
  v_full := v_role = 'admin' or v_own;
  v_masked := v_role = 'command';

  select jsonb_build_object(
           'residents', count(*), 'households', count(distinct coalesce(e.attributes ->> 'household_id', r.room)),
           'floating', count(*) filter (where e.category = '流动人口' or (e.attributes ->> 'floating')::boolean),
           'keyPersons', count(*) filter (where e.risk_level >= 2),
           'people', case when v_full or v_masked then coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
               'id', e.id,
               'name', case when v_full then e.name else mask_name(e.name) end,
               'category', e.category,
               'keyPerson', e.risk_level >= 2,
               'householdId', e.attributes ->> 'household_id',
               'gender', case when v_full then e.attributes ->> 'gender' end,
               'birthYear', case when v_full then (e.attributes ->> 'birth_year')::integer end,
               'room', case when v_full then r.room end,
               'movedInOn', case when v_full then t.moved_in_on end))
             order by case when v_full then r.room end, e.attributes ->> 'household_id', e.external_id) filter (where e.id is not null), '[]'::jsonb) end)
  into v_people
  from plate_residents(v_addr.address) r
  join entities e on e.id = r.person_id and e.kind = 'person'
  left join tenancies t on t.person_id = e.id and t.moved_out_on is null and t.address_id = v_addr.id;

  return jsonb_build_object(
    'code', v_plate.code, 'issuedAt', v_plate.issued_at,
    'address', v_addr.address, 'kind', v_addr.kind,
    'lngLat', jsonb_build_array(ST_X(v_addr.geom), ST_Y(v_addr.geom)),
    'cellCode', v_addr.cell_code,
    'cellName', (select c.name from cells c where c.code = v_addr.cell_code and c.valid_to is null),
    'cellClass', (select c.class from cells c where c.code = v_addr.cell_code and c.valid_to is null),
    'communityName', (select a.name from admin_areas a where a.code = v_addr.community_code),
    'streetName', (select s.name from admin_areas a join admin_areas s on s.code = a.parent_code where a.code = v_addr.community_code),
    'workers', coalesce((select jsonb_agg(m.display_name order by m.display_name)
                         from worker_cells w join members m on m.user_id = w.user_id
                         where w.cell_code = v_addr.cell_code and m.role = 'worker'), '[]'::jsonb),
    'canRecord', v_full,
    -- Planners and the grid workers of other cells: counts only.
    'residents', case when v_role = 'planner' or v_full or v_masked then jsonb_build_object(
        'total', v_people -> 'residents', 'households', v_people -> 'households',
        'floating', v_people -> 'floating', 'keyPersons', v_people -> 'keyPersons') end,
    'people', v_people -> 'people',
    'namesMasked', v_masked,
    'entities', coalesce((
      select jsonb_agg(jsonb_build_object('id', e.id, 'kind', e.kind, 'name', e.name, 'category', e.category, 'riskLevel', e.risk_level)
                       order by e.kind, e.name)
      from entities e
      where e.kind in ('place', 'organisation') and e.attributes ->> 'address' = v_addr.address), '[]'::jsonb),
    -- Open cases at the door (30 m), as the caller may read cases.
    'openCases', coalesce((
      select jsonb_agg(jsonb_build_object('id', k.id, 'code', k.code, 'category', k.category, 'state', k.state,
                                          'reportedAt', k.reported_at, 'deadlineAt', k.deadline_at,
                                          'meters', round(ST_Distance(k.geom::geography, v_addr.geom::geography)::numeric, 1))
                       order by k.deadline_at nulls last, k.reported_at)
      from cases k
      where k.state in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered')
        and k.geom && ST_Expand(v_addr.geom, 0.001) and ST_DWithin(k.geom::geography, v_addr.geom::geography, 30)
        and (v_role in ('admin', 'command', 'planner') or is_own_cell(k.cell_code) or k.reported_by = auth.uid())), '[]'::jsonb),
    'tenancies', case when v_full then coalesce((
      select jsonb_agg(jsonb_build_object('id', t.id, 'personId', t.person_id, 'name', t.person_name, 'room', t.room,
                                          'movedInOn', t.moved_in_on, 'movedOutOn', t.moved_out_on, 'recordedAt', t.recorded_at)
                       order by greatest(t.moved_in_on, t.moved_out_on) desc, t.recorded_at desc)
      from (select * from tenancies where address_id = v_addr.id
            order by greatest(moved_in_on, moved_out_on) desc, recorded_at desc limit 50) t), '[]'::jsonb) end
  );
end
$$;
comment on function plate_page(text) is
  'A house plate''s page (what its QR opens): address, cell, community, street, the cell''s grid workers, residents (admins and the cell''s grid worker: names, gender, birth year, room, household; the command centre: masked names; planners and other grid workers: counts only), places and organisations at the address, open cases within 30 m the caller may read, and the tenancy register, latest move first, 50 at most (admins and the cell''s grid worker). Null for an unknown code.';
revoke all on function plate_page(text) from public, anon;
grant execute on function plate_page(text) to authenticated, service_role;

-- Refuses unless the caller records tenancies at this address (admins; the grid worker of its cell).
create function plate_for_recording(p_code text) returns addresses
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_addr addresses%rowtype;
begin
  select a.* into v_addr from house_plates h join addresses a on a.id = h.address_id where h.code = upper(btrim(coalesce(p_code, '')));
  if not found then
    raise exception using errcode = 'P0002', message = format('no house plate %s', coalesce(p_code, ''));
  end if;
  if not (app_role() = 'admin' or (app_role() = 'worker' and is_own_cell(v_addr.cell_code))) then
    raise exception using errcode = '42501', message = format('only the grid worker of cell %s records who lives at %s', coalesce(v_addr.cell_code, ''), v_addr.address);
  end if;
  return v_addr;
end
$$;
comment on function plate_for_recording(text) is 'The address of a house plate when the caller may record tenancies there (admins, the grid worker of its cell); otherwise fails saying why.';
revoke all on function plate_for_recording(text) from public, anon, authenticated;
grant execute on function plate_for_recording(text) to service_role;

create function record_move_in(p_code text, p_name text, p_id_card text, p_phone text default '', p_room text default '',
                               p_moved_in_on date default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_addr addresses%rowtype := plate_for_recording(p_code);
  v_id_card text := upper(btrim(coalesce(p_id_card, '')));
  v_name text := btrim(coalesce(p_name, ''));
  v_room text := btrim(coalesce(p_room, ''));
  v_on date := coalesce(p_moved_in_on, current_date);
  v_person uuid;
  v_household text;
  v_moved boolean := false;
  v_tenancy uuid;
begin
  if char_length(v_name) not between 1 and 50 then
    raise exception using errcode = '22023', message = 'name: 1 to 50 characters';
  end if;
  if v_id_card !~ '^[0-9]{17}[0-9X]$' then
    raise exception using errcode = '22023', message = format('ID card number: 18 characters, 17 digits and a digit or X (got %s)', char_length(v_id_card));
  end if;
  -- The check character (GB 11643-1999, ISO 7064 MOD 11-2), as src/domain/id-card.ts checks it.
  if substr('10X98765432', (select sum(substr(v_id_card, i, 1)::integer * ((2 ^ (18 - i))::integer % 11)) from generate_series(1, 17) i)::integer % 11 + 1, 1)
     <> substr(v_id_card, 18, 1) then
    raise exception using errcode = '22023', message = format('ID card number %s: its check character is wrong', v_id_card);
  end if;
  if char_length(v_room) > 30 then
    raise exception using errcode = '22023', message = 'room: at most 30 characters';
  end if;
  if char_length(coalesce(p_phone, '')) > 30 then
    raise exception using errcode = '22023', message = 'phone: at most 30 characters';
  end if;
  if v_on > current_date then
    raise exception using errcode = '22023', message = format('moved in on %s: a day to come', v_on);
  end if;

  select e.id into v_person
  from person_private p join entities e on e.id = p.entity_id and e.kind = 'person'
  where upper(p.id_card_number) = v_id_card
  order by e.external_id limit 1;
  if v_person is not null then
    if exists (select 1 from plate_residents(v_addr.address) r where r.person_id = v_person) then
      raise exception using errcode = '23505', message = format('ID card %s already lives at %s', v_id_card, v_addr.address);
    end if;
    -- Moving within the district: the same person, at their new door; their last tenancy ends.
    v_moved := true;
    update tenancies set moved_out_on = greatest(v_on, coalesce(moved_in_on, v_on)), moved_out_by = auth.uid()
    where person_id = v_person and moved_out_on is null;
  end if;

  -- A household is a room: join the one already there, or start one.
  select e.attributes ->> 'household_id' into v_household
  from plate_residents(v_addr.address) r join entities e on e.id = r.person_id
  where r.room = v_room and v_room <> '' and e.attributes ? 'household_id'
  order by e.external_id limit 1;
  v_household := coalesce(v_household, 'H-' || upper(substr(md5(gen_random_uuid()::text), 1, 10)));

  if v_moved then
    update entities set geom = v_addr.geom, name = v_name, updated_at = now(),
                        attributes = attributes || jsonb_build_object('household_id', v_household)
    where id = v_person;
    update person_private set address = v_addr.address || v_room, phone = coalesce(nullif(btrim(p_phone), ''), phone)
    where entity_id = v_person;
  else
    insert into entities (kind, external_id, name, category, risk_level, attributes, geom)
    values ('person', 'T' || upper(substr(md5(gen_random_uuid()::text), 1, 11)), v_name, '流动人口', 1,
            jsonb_build_object('gender', case when substr(v_id_card, 17, 1)::integer % 2 = 1 then '男' else '女' end,
                               'birth_year', substr(v_id_card, 7, 4)::integer, 'floating', true,
                               'key_person', false, 'household_id', v_household),
            v_addr.geom)
    returning id into v_person;
    insert into person_private (entity_id, id_card_number, phone, address)
    values (v_person, v_id_card, btrim(coalesce(p_phone, '')), v_addr.address || v_room);
  end if;

  insert into tenancies (address_id, cell_code, person_id, person_name, room, moved_in_on, recorded_by)
  values (v_addr.id, v_addr.cell_code, v_person, v_name, v_room, v_on, auth.uid())
  returning id into v_tenancy;
  return jsonb_build_object('tenancyId', v_tenancy, 'personId', v_person, 'moved', v_moved, 'householdId', v_household);
end
$$;
comment on function record_move_in(text, text, text, text, text, date) is
  'Records a tenant moving in at a house plate''s address (admins; the grid worker of its cell): a new person registered there as floating population (gender and birth year from the ID card), or, when the ID card is already registered elsewhere in the district, that person moved here (their open tenancy ends). The room joins the household already in it. Returns the tenancy, the person, whether they moved, the household.';
revoke all on function record_move_in(text, text, text, text, text, date) from public, anon;
grant execute on function record_move_in(text, text, text, text, text, date) to authenticated, service_role;

create function record_move_out(p_code text, p_person uuid, p_moved_out_on date default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_addr addresses%rowtype := plate_for_recording(p_code);
  v_on date := coalesce(p_moved_out_on, current_date);
  v_room text;
  v_name text;
  v_tenancy uuid;
begin
  select r.room, e.name into v_room, v_name
  from plate_residents(v_addr.address) r join entities e on e.id = r.person_id and e.kind = 'person'
  where r.person_id = p_person;
  if not found then
    raise exception using errcode = 'P0002', message = format('nobody with id %s lives at %s', coalesce(p_person::text, ''), v_addr.address);
  end if;
  if v_on > current_date then
    raise exception using errcode = '22023', message = format('moved out on %s: a day to come', v_on);
  end if;
  update tenancies set moved_out_on = v_on, moved_out_by = auth.uid()
  where person_id = p_person and moved_out_on is null and address_id = v_addr.id
    and (moved_in_on is null or moved_in_on <= v_on)
  returning id into v_tenancy;
  if v_tenancy is null then
    if exists (select 1 from tenancies where person_id = p_person and moved_out_on is null and address_id = v_addr.id) then
      raise exception using errcode = '22023', message = format('moved out on %s: before they moved in', v_on);
    end if;
    -- A resident from before the register: the record starts with their leaving.
    insert into tenancies (address_id, cell_code, person_id, person_name, room, moved_in_on, moved_out_on, recorded_by, moved_out_by)
    values (v_addr.id, v_addr.cell_code, p_person, v_name, v_room, null, v_on, auth.uid(), auth.uid())
    returning id into v_tenancy;
  end if;
  -- They leave the register of people; the tenancy keeps who and when.
  delete from entities where id = p_person;
  return jsonb_build_object('tenancyId', v_tenancy, 'movedOutOn', v_on);
end
$$;
comment on function record_move_out(text, uuid, date) is
  'Records a resident of a house plate''s address moving out (admins; the grid worker of its cell): their tenancy ends (one is written for a resident from before the register) and they leave the register of people (their entity and personal fields are deleted; the tenancy keeps name, room and dates).';
revoke all on function record_move_out(text, uuid, date) from public, anon;
grant execute on function record_move_out(text, uuid, date) to authenticated, service_role;
