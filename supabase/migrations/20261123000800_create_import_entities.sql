-- Purpose: import of people, places, things and organisations. One call upserts a batch on the
--          natural key (kind, external_id): a re-import updates rows in place instead of
--          duplicating them, and reports what it inserted, updated and left unchanged. It runs
--          as the caller (security invoker), so row level security decides who may import where.
-- Functions: import_entities (new).
-- Destructive: updates existing entities and personal fields whose imported values differ.

-- Writes the personal fields of imported people and returns how many people had only those
-- changed. Security definer because personal columns are not readable by callers; it checks
-- the right itself: admins for everyone, grid workers for people in their own cells.
create function import_person_private(p_rows jsonb) returns integer
language plpgsql volatile security definer
set search_path = public, extensions
as $$
declare
  role text := app_role();
  refused text;
  changed integer;
begin
  select i.external_id into refused
  from jsonb_to_recordset(p_rows) as i(external_id text, personal jsonb)
  join entities e on e.kind = 'person' and e.external_id = i.external_id
  where i.personal is not null and not (role = 'admin' or (role = 'worker' and is_own_cell(e.cell_code)))
  limit 1;
  if refused is not null then
    raise exception 'may not write the personal fields of person "%"', refused using errcode = '42501';
  end if;
  with incoming as (
    select i.external_id, i.personal from jsonb_to_recordset(p_rows) as i(external_id text, personal jsonb)
    where i.personal is not null
  ), written as (
    insert into person_private as p (entity_id, id_card_number, phone, address)
    select e.id, coalesce(i.personal ->> 'id_card_number', ''), coalesce(i.personal ->> 'phone', ''), coalesce(i.personal ->> 'address', '')
    from incoming i join entities e on e.kind = 'person' and e.external_id = i.external_id
    on conflict (entity_id) do update
      set id_card_number = excluded.id_card_number, phone = excluded.phone, address = excluded.address
      where (p.id_card_number, p.phone, p.address) is distinct from (excluded.id_card_number, excluded.phone, excluded.address)
    returning (xmax = 0) as is_insert, entity_id
  )
  -- People whose entity row also changed were counted already (updated_at is this transaction's now()).
  select count(*) into changed
  from written w join entities e on e.id = w.entity_id
  where not w.is_insert and e.updated_at < now();
  return changed;
end
$$;

revoke all on function import_person_private(jsonb) from public, anon;
grant execute on function import_person_private(jsonb) to authenticated, service_role;

-- p_rows: [{external_id, name, category, risk_level, lon, lat, attributes, personal?}] with
-- WGS-84 positions; personal = {id_card_number, phone, address} for people.
create function import_entities(p_kind text, p_rows jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions
as $$
declare
  inserted integer := 0;
  updated integer := 0;
  total integer := jsonb_array_length(p_rows);
begin
  if p_kind not in ('person', 'place', 'thing', 'organisation') then
    raise exception 'unknown entity kind "%"', p_kind using errcode = '22023';
  end if;

  with incoming as (
    select * from jsonb_to_recordset(p_rows) as r(
      external_id text, name text, category text, risk_level smallint, lon float8, lat float8, attributes jsonb)
  ), written as (
    insert into entities as e (kind, external_id, name, category, risk_level, attributes, geom)
    select p_kind, external_id, name, coalesce(category, ''), coalesce(risk_level, 0), coalesce(attributes, '{}'),
           ST_SetSRID(ST_MakePoint(lon, lat), 4326)
    from incoming
    on conflict (kind, external_id) do update
      set name = excluded.name, category = excluded.category, risk_level = excluded.risk_level,
          attributes = excluded.attributes, geom = excluded.geom
      where (e.name, e.category, e.risk_level, e.attributes, ST_AsBinary(e.geom))
            is distinct from (excluded.name, excluded.category, excluded.risk_level, excluded.attributes, ST_AsBinary(excluded.geom))
    returning (xmax = 0) as is_insert
  )
  select count(*) filter (where is_insert), count(*) filter (where not is_insert) into inserted, updated from written;

  if p_kind = 'person' then
    updated := updated + import_person_private(p_rows);
  end if;

  return jsonb_build_object('inserted', inserted, 'updated', updated, 'unchanged', total - inserted - updated);
end
$$;

grant execute on function import_entities(text, jsonb) to authenticated, service_role;
revoke execute on function import_entities(text, jsonb) from anon, public;
