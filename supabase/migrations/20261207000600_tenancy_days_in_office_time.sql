-- Purpose: a move-in or move-out dated today is today where the office is. record_move_in and
--          record_move_out compared the day with current_date, the database session's (UTC on
--          Supabase and PGlite): from 00:00 to 08:00 in Changsha (16:00 to 24:00 UTC) the grid
--          worker's today was "a day to come" and refused, and a move without a date was dated
--          the day before. They now take the day in the office's time zone (case_working_time,
--          the one the case time limits count in).
-- Tables: none.
-- Functions: office_today (new, internal); record_move_in, record_move_out (replaced: the day
--            in the office's time zone; arguments, grants and comments unchanged).
-- Destructive: none.

create function office_today() returns date
language sql stable security definer
set search_path = public, pg_temp
as $$
  select (now() at time zone coalesce((select time_zone from case_working_time limit 1), 'Asia/Shanghai'))::date
$$;
comment on function office_today() is
  'Today in the office''s time zone (case_working_time): the day a record dated "today" means, whatever the session''s time zone.';
revoke all on function office_today() from public, anon, authenticated;
grant execute on function office_today() to service_role;

create or replace function record_move_in(p_code text, p_name text, p_id_card text, p_phone text default '', p_room text default '',
                               p_moved_in_on date default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_addr addresses%rowtype := plate_for_recording(p_code);
  v_id_card text := upper(btrim(coalesce(p_id_card, '')));
  v_name text := btrim(coalesce(p_name, ''));
  v_room text := btrim(coalesce(p_room, ''));
  v_on date := coalesce(p_moved_in_on, office_today());
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
  if v_on > office_today() then
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

create or replace function record_move_out(p_code text, p_person uuid, p_moved_out_on date default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_addr addresses%rowtype := plate_for_recording(p_code);
  v_on date := coalesce(p_moved_out_on, office_today());
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
  if v_on > office_today() then
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
