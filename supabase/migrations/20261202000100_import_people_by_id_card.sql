-- Purpose: a roster of people often has no id of its own. People imported without one are known
--          by their ID card number: a re-import finds the person already there by it and updates
--          them; a new person gets a generated id ('P-' and 16 hex digits). The number stays in
--          person_private: it never becomes an id that every reader of entities would see.
-- Functions: person_keys_by_id_card (new), import_entities (replaced: same behaviour for rows
--            with an id).
-- Destructive: none.

-- Returns the ids of the people with these ID card numbers that the caller may write (admins:
-- anyone; grid workers: people in their own cells), one per number. Security definer because
-- personal columns are not readable by callers; pg_temp last so a temporary table cannot stand in
-- for a real one.
create function person_keys_by_id_card(p_id_cards text[]) returns table (id_card_number text, external_id text)
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select distinct on (upper(p.id_card_number)) upper(p.id_card_number), e.external_id
  from person_private p
  join entities e on e.id = p.entity_id and e.kind = 'person'
  where upper(p.id_card_number) = any (p_id_cards)
    and (app_role() = 'admin' or (app_role() = 'worker' and is_own_cell(e.cell_code)))
  order by upper(p.id_card_number), e.external_id
$$;

revoke all on function person_keys_by_id_card(text[]) from public, anon;
grant execute on function person_keys_by_id_card(text[]) to authenticated, service_role;

-- p_rows: [{external_id, name, category, risk_level, lon, lat, attributes, personal?}] with
-- WGS-84 positions; personal = {id_card_number, phone, address} for people. A person's
-- external_id may be empty when personal.id_card_number is given (see above).
create or replace function import_entities(p_kind text, p_rows jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  inserted integer := 0;
  updated integer := 0;
  total integer := jsonb_array_length(p_rows);
  keyless integer;
  rows jsonb := p_rows;
begin
  if p_kind not in ('person', 'place', 'thing', 'organisation') then
    raise exception 'unknown entity kind "%"', p_kind using errcode = '22023';
  end if;

  select count(*) into keyless
  from jsonb_array_elements(p_rows) r(v)
  where coalesce(r.v ->> 'external_id', '') = ''
    and (p_kind <> 'person' or coalesce(r.v -> 'personal' ->> 'id_card_number', '') = '');
  if keyless > 0 then
    raise exception '% rows have no external_id%', keyless,
      case when p_kind = 'person' then ' and no ID card number' else '' end using errcode = '22023';
  end if;

  if p_kind = 'person' and exists (select 1 from jsonb_array_elements(p_rows) r(v) where coalesce(r.v ->> 'external_id', '') = '') then
    with numbered as (
      select r.v, r.n, upper(r.v -> 'personal' ->> 'id_card_number') as id_card
      from jsonb_array_elements(p_rows) with ordinality r(v, n)
    ), keys as (
      select * from person_keys_by_id_card(array(
        select id_card from numbered where coalesce(v ->> 'external_id', '') = ''))
    )
    select jsonb_agg(
             case when coalesce(n.v ->> 'external_id', '') <> '' then n.v
                  else jsonb_set(n.v, '{external_id}',
                         to_jsonb(coalesce(k.external_id, 'P-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 16))))
             end order by n.n)
      into rows
    from numbered n left join keys k on k.id_card_number = n.id_card;
  end if;

  with incoming as (
    select * from jsonb_to_recordset(rows) as r(
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
    updated := updated + import_person_private(rows);
  end if;

  return jsonb_build_object('inserted', inserted, 'updated', updated, 'unchanged', total - inserted - updated);
end
$$;

revoke execute on function import_entities(text, jsonb) from anon, public;
grant execute on function import_entities(text, jsonb) to authenticated, service_role;
