-- Purpose: personal fields by role, enforced in the database. The only way to read a person's
--          ID card number, phone and address is person_personal(): the admin and the grid worker
--          of the person's cell get them in full (and the view is logged), the command centre
--          gets them masked, planners and everyone else get nothing.
-- Tables: person_private (select narrowed to its key column; policy for command dropped),
--         personal_data_views (new log). Functions: mask_id_card, mask_phone, mask_address,
--         person_personal (new); point_detail (replaced: volatile, personal fields through
--         person_personal).
-- Destructive: revokes direct reads of person_private's personal columns from authenticated.

drop policy "command reads personal fields" on person_private;
revoke select on person_private from authenticated;
-- The key alone stays readable so that admins and workers can address rows in updates.
grant select (entity_id) on person_private to authenticated;

create table personal_data_views (
  id bigint generated always as identity primary key,
  viewer uuid not null,
  viewer_role text not null,
  entity_id uuid not null references entities (id) on delete cascade,
  viewed_at timestamptz not null default now()
);
create index personal_data_views_entity_idx on personal_data_views (entity_id, viewed_at desc);
create index personal_data_views_viewer_idx on personal_data_views (viewer, viewed_at desc);
alter table personal_data_views enable row level security;
grant select on personal_data_views to authenticated;
create policy "admins read who viewed personal data" on personal_data_views
  for select to authenticated using (app_role() = 'admin');

comment on table personal_data_views is 'Who saw which person''s full personal fields, and when (written by person_personal()).';

-- Returns an ID card number with only the region (6) and the last 4 characters shown.
create function mask_id_card(v text) returns text
language sql immutable
as $$
  select case when length(v) < 10 then repeat('*', length(v))
              else left(v, 6) || repeat('*', length(v) - 10) || right(v, 4) end
$$;

-- Returns a phone number with the middle digits hidden (138****5678).
create function mask_phone(v text) returns text
language sql immutable
as $$
  select case when length(v) < 7 then repeat('*', length(v))
              else left(v, 3) || repeat('*', length(v) - 7) || right(v, 4) end
$$;

-- Returns an address cut after the house number (号), the rest hidden: the command centre
-- sees where, not which flat.
create function mask_address(v text) returns text
language sql immutable
as $$
  select case when position('号' in v) > 0 then left(v, position('号' in v)) || '***'
              else left(v, greatest(length(v) / 2, 1)) || '***' end
$$;

-- Returns a person's personal fields as the caller may see them, or null: in full for admins
-- and for the grid worker of the person's cell (logged in personal_data_views), masked for the
-- command centre, nothing for anyone else. Security definer: person_private is not readable
-- directly; this function is the one door.
create function person_personal(p_entity_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions
as $$
declare
  role text := app_role();
  p person_private%rowtype;
  cell text;
begin
  select e.cell_code into cell from entities e where e.id = p_entity_id and e.kind = 'person';
  if not found then
    return null;
  end if;
  select * into p from person_private where entity_id = p_entity_id;
  if not found then
    return null;
  end if;
  if role = 'admin' or (role = 'worker' and is_own_cell(cell)) then
    insert into personal_data_views (viewer, viewer_role, entity_id) values (auth.uid(), role, p_entity_id);
    return jsonb_build_object('idCardNumber', p.id_card_number, 'phone', p.phone, 'address', p.address, 'masked', false);
  elsif role = 'command' then
    return jsonb_build_object('idCardNumber', mask_id_card(p.id_card_number), 'phone', mask_phone(p.phone),
                              'address', mask_address(p.address), 'masked', true);
  end if;
  return null;
end
$$;

revoke all on function person_personal(uuid) from public, anon;
grant execute on function person_personal(uuid) to authenticated, service_role;

-- point_detail now reads personal fields through person_personal (which may write its log),
-- so it is volatile; everything else is as before.
create or replace function point_detail(p_kind text, p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions
as $$
declare
  result jsonb;
begin
  if p_kind = 'event' then
    select jsonb_build_object(
      'kind', 'event', 'id', v.id, 'externalId', v.external_id, 'name', v.category,
      'category', v.category, 'severity', v.severity, 'source', v.source, 'status', v.status,
      'occurredAt', v.occurred_at, 'description', v.description,
      'cellCode', v.cell_code, 'cellName', c.name, 'outsideDistrict', v.outside_district,
      'lngLat', jsonb_build_array(ST_X(v.geom), ST_Y(v.geom))
    ) into result
    from events v
    left join cells c on c.code = v.cell_code and c.valid_to is null
    where v.id = p_id;
  else
    select jsonb_build_object(
      'kind', e.kind, 'id', e.id, 'externalId', e.external_id, 'name', e.name,
      'category', e.category, 'riskLevel', e.risk_level, 'attributes', e.attributes,
      'cellCode', e.cell_code, 'cellName', c.name, 'outsideDistrict', e.outside_district,
      'lngLat', jsonb_build_array(ST_X(e.geom), ST_Y(e.geom)),
      'personal', case when e.kind = 'person' then person_personal(e.id) else null end
    ) into result
    from entities e
    left join cells c on c.code = e.cell_code and c.valid_to is null
    where e.id = p_id and e.kind = p_kind;
  end if;
  return result;
end
$$;
