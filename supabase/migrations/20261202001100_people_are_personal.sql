-- Purpose: which fields of a person are personal, decided and enforced (issue 22). A person's
--          name, birth year, gender and exact position (where they live) identify them; the law
--          of personal information protection treats a name with a home location as personal.
--          Planners and the command centre read them unlogged until now.
--   * Admins: everything (as before); grid workers: the people of their own cells (as before).
--   * Command centre: where people are and how much attention they need (position, category,
--     risk level, key-person flag), but not who: the name is masked (王*), birth year and gender
--     are not given; ID card, phone and address masked as before.
--   * Planners: no person rows at all; people only as counts per cell (residents, key persons).
--   Row level security keeps command and planners off person rows; the counts and the command
--   centre's view come through functions that decide by role.
-- Tables: entities (policy "admins, command and planners read entities" replaced by "command and
--         planners read entities other than people").
-- Functions: mask_name, person_counts, person_points, person_detail (new; the last three SECURITY
--            DEFINER); cell_class_inputs, cell_detail, district_overview, points_columns,
--            point_detail (replaced: people through the new functions, all else as before).
-- Destructive: command and planners no longer read person rows directly.

drop policy "admins, command and planners read entities" on entities;
create policy "command and planners read entities other than people" on entities
  for select to authenticated
  using ((select app_role()) in ('command', 'planner') and kind <> 'person');

-- Returns a name with only its first character shown (王伟 → 王*, 欧阳娜娜 → 欧***).
create function mask_name(v text) returns text
language sql immutable
set search_path = public, extensions, pg_temp
as $$
  select case when char_length(v) <= 1 then v else left(v, 1) || repeat('*', char_length(v) - 1) end
$$;
comment on function mask_name(text) is 'A name with only its first character shown (王伟 → 王*): who a person is stays hidden.';
revoke all on function mask_name(text) from public;

create function person_counts(p_code text default null)
returns table (cell_code text, residents bigint, key_persons bigint)
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select e.cell_code, count(*), count(*) filter (where e.risk_level >= 2)
  from entities e
  where e.kind = 'person' and e.cell_code is not null and (p_code is null or e.cell_code = p_code)
    and ((select app_role()) in ('admin', 'command', 'planner') or ((select app_role()) = 'worker' and is_own_cell(e.cell_code)))
  group by e.cell_code
$$;
comment on function person_counts(text) is
  'People per cell (all residents, and key persons: risk level 2 or more) for every member who may see the cell''s figures: admins, command and planners everywhere, grid workers in their own cells; one cell with p_code. Counts only, never people: security definer over person rows that command and planners may not read.';
revoke all on function person_counts(text) from public, anon;
grant execute on function person_counts(text) to authenticated, service_role;

create function person_points() returns table (id uuid, external_id text, geom geometry, category text, risk_level smallint)
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select e.id, e.external_id, e.geom, e.category, e.risk_level
  from entities e
  where e.kind = 'person'
    and ((select app_role()) in ('admin', 'command') or ((select app_role()) = 'worker' and is_own_cell(e.cell_code)))
$$;
comment on function person_points() is
  'Where the people are that the caller may place on the map (admins and command everywhere, grid workers in their own cells; planners none): id, position, category and risk level, never a name.';
revoke all on function person_points() from public, anon;
grant execute on function person_points() to authenticated, service_role;

create function person_detail(p_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  e entities%rowtype;
  shown boolean;
begin
  select * into e from entities where id = p_id and kind = 'person';
  if not found then
    return null;
  end if;
  shown := role = 'admin' or (role = 'worker' and is_own_cell(e.cell_code));
  if not shown and role <> 'command' then
    return null;
  end if;
  return jsonb_build_object(
    'kind', 'person', 'id', e.id, 'externalId', e.external_id,
    'name', case when shown then e.name else mask_name(e.name) end,
    'category', e.category, 'riskLevel', e.risk_level,
    'attributes', case when shown then e.attributes
                       else jsonb_strip_nulls(jsonb_build_object('key_person', e.attributes -> 'key_person')) end,
    'cellCode', e.cell_code, 'cellName', (select c.name from cells c where c.code = e.cell_code and c.valid_to is null),
    'outsideDistrict', e.outside_district,
    'lngLat', jsonb_build_array(ST_X(e.geom), ST_Y(e.geom)),
    'personal', person_personal(e.id),
    'nameMasked', not shown
  );
end
$$;
comment on function person_detail(uuid) is
  'One person as the caller may see them: in full for admins and the grid worker of their cell (ID card, phone and address through person_personal, which needs the view logged first), with the name masked and without birth year or gender for the command centre, null for planners and everyone else.';
revoke all on function person_detail(uuid) from public, anon;
grant execute on function person_detail(uuid) to authenticated, service_role;

create or replace function cell_class_inputs(p_end timestamp with time zone, p_days integer, p_half_life_days double precision, p_code text default null)
returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with ev as (
    select e.cell_code, e.category, count(*) n,
           sum(e.severity * case when p_half_life_days is null then 1
                                 else power(0.5, extract(epoch from (p_end - e.occurred_at)) / 86400.0 / p_half_life_days) end) w
    from events e
    where e.cell_code is not null and (p_code is null or e.cell_code = p_code) and e.occurred_at < p_end and e.occurred_at >= p_end - make_interval(days => p_days)
    group by e.cell_code, e.category
  ), ev_cell as (
    select cell_code, sum(n) n, sum(w) w, jsonb_object_agg(category, round(w::numeric, 6)) by_category
    from ev group by cell_code
  ), sites as (
    select en.cell_code, count(*) hazard_sites
    from entities en
    where en.cell_code is not null and (p_code is null or en.cell_code = p_code)
      and en.kind in ('place', 'organisation') and en.risk_level >= 2
    group by en.cell_code
  ), people as (
    select * from person_counts(p_code)
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'code', c.code, 'name', c.name, 'communityCode', c.community_code, 'communityName', a.name,
           'class', c.class, 'classSource', c.class_source, 'households', c.households,
           'residents', coalesce(people.residents, 0), 'areaKm2', ST_Area(c.geom::geography) / 1e6,
           'events', coalesce(ev_cell.n, 0), 'eventsWeighted', coalesce(ev_cell.w, 0),
           'eventsByCategory', coalesce(ev_cell.by_category, '{}'::jsonb),
           'keyPersons', coalesce(people.key_persons, 0), 'hazardSites', coalesce(sites.hazard_sites, 0))
           order by c.code), '[]')
  from cells c
  left join admin_areas a on a.code = c.community_code
  left join ev_cell on ev_cell.cell_code = c.code
  left join sites on sites.cell_code = c.code
  left join people on people.cell_code = c.code
  where c.valid_to is null and (p_code is null or c.code = p_code);
$$;

create or replace function cell_detail(p_code text) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'code', c.code,
    'name', c.name,
    'communityCode', c.community_code,
    'communityName', a.name,
    'streetName', s.name,
    'class', c.class,
    'classSource', c.class_source,
    'classReason', c.class_reason,
    'households', c.households,
    'version', c.version,
    'validFrom', c.valid_from,
    'areaSquareMeters', round(ST_Area(c.geom::geography)::numeric, 1),
    'counts', jsonb_build_object(
      'person', coalesce((select sum(p.residents) from person_counts(c.code) p), 0),
      'place', (select count(*) from entities e where e.cell_code = c.code and e.kind = 'place'),
      'thing', (select count(*) from entities e where e.cell_code = c.code and e.kind = 'thing'),
      'organisation', (select count(*) from entities e where e.cell_code = c.code and e.kind = 'organisation'),
      'event', (select count(*) from events v where v.cell_code = c.code)
    ),
    'topEventCategories', coalesce((
      select jsonb_agg(jsonb_build_object('category', category, 'count', n) order by n desc, category)
      from (
        select category, count(*) as n from events v where v.cell_code = c.code
        group by category order by n desc, category limit 5
      ) t
    ), '[]'::jsonb)
  )
  from cells c
  left join admin_areas a on a.code = c.community_code
  left join admin_areas s on s.code = a.parent_code
  where c.code = p_code and c.valid_to is null
$$;

create or replace function district_overview() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with d as (
    select code, name, geom from admin_areas where level = 'district' order by code limit 1
  ), extent as (
    select coalesce((select ST_Extent(geom) from d), (select ST_Extent(geom) from cells where valid_to is null)) as box
  )
  select jsonb_build_object(
    'code', (select code from d),
    'name', (select name from d),
    'bbox', case when box is null then null
                 else jsonb_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)) end,
    'counts', jsonb_build_object(
      'cells', (select count(*) from cells where valid_to is null),
      'person', coalesce((select sum(p.residents) from person_counts() p), 0),
      'place', (select count(*) from entities where kind = 'place'),
      'thing', (select count(*) from entities where kind = 'thing'),
      'organisation', (select count(*) from entities where kind = 'organisation'),
      'event', (select count(*) from events)
    )
  )
  from extent
$$;

create or replace function points_columns(p_kind text) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  result jsonb;
begin
  if p_kind = 'event' then
    select jsonb_build_object(
      'kind', 'event',
      'ids', coalesce(jsonb_agg(id order by occurred_at), '[]'::jsonb),
      'lng', coalesce(jsonb_agg(round(ST_X(geom)::numeric, 7) order by occurred_at), '[]'::jsonb),
      'lat', coalesce(jsonb_agg(round(ST_Y(geom)::numeric, 7) order by occurred_at), '[]'::jsonb),
      'category', coalesce(jsonb_agg(category order by occurred_at), '[]'::jsonb),
      'severity', coalesce(jsonb_agg(severity order by occurred_at), '[]'::jsonb),
      'source', coalesce(jsonb_agg(source order by occurred_at), '[]'::jsonb),
      'time', coalesce(jsonb_agg((extract(epoch from occurred_at) * 1000)::bigint order by occurred_at), '[]'::jsonb)
    ) into result
    from events;
  elsif p_kind in ('person', 'place', 'thing', 'organisation') then
    -- People through person_points (by role); other kinds as row level security gives them.
    select jsonb_build_object(
      'kind', p_kind,
      'ids', coalesce(jsonb_agg(id order by external_id), '[]'::jsonb),
      'lng', coalesce(jsonb_agg(round(ST_X(geom)::numeric, 7) order by external_id), '[]'::jsonb),
      'lat', coalesce(jsonb_agg(round(ST_Y(geom)::numeric, 7) order by external_id), '[]'::jsonb),
      'category', coalesce(jsonb_agg(category order by external_id), '[]'::jsonb),
      'severity', coalesce(jsonb_agg(risk_level order by external_id), '[]'::jsonb)
    ) into result
    from (
      select id, external_id, geom, category, risk_level from person_points() where p_kind = 'person'
      union all
      select id, external_id, geom, category, risk_level from entities where kind = p_kind and p_kind <> 'person'
    ) points;
  else
    raise exception 'unknown point kind "%"', p_kind using errcode = '22023';
  end if;
  return result;
end
$$;

create or replace function point_detail(p_kind text, p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
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
  elsif p_kind = 'person' then
    result := person_detail(p_id);
  else
    select jsonb_build_object(
      'kind', e.kind, 'id', e.id, 'externalId', e.external_id, 'name', e.name,
      'category', e.category, 'riskLevel', e.risk_level, 'attributes', e.attributes,
      'cellCode', e.cell_code, 'cellName', c.name, 'outsideDistrict', e.outside_district,
      'lngLat', jsonb_build_array(ST_X(e.geom), ST_Y(e.geom)),
      'personal', null
    ) into result
    from entities e
    left join cells c on c.code = e.cell_code and c.valid_to is null
    where e.id = p_id and e.kind = p_kind;
  end if;
  return result;
end
$$;

comment on function cell_class_inputs(timestamptz, integer, double precision, text) is
  'Per current cell, the inputs a class rule set weighs over the p_days days before p_end: households, residents, area, events (and weighted by severity × decay with half-life p_half_life_days), events by category, key persons and hazard sites; p_code: one cell only. People are counted through person_counts (planners and command read no person rows).';
comment on function cell_detail(text) is
  'One current cell with its class reason, street, area (m²), counts of what lies in it (people through person_counts) and its top event categories; null when it does not exist or the caller may not see it.';
comment on function district_overview() is
  'The district''s code, name, bbox [w, s, e, n] and counts of the cells, entities by kind (people through person_counts) and events the caller may see.';
comment on function points_columns(text) is
  'Every entity of a kind (person, place, thing, organisation; by external id) or every event (by time) the caller may see, in columns: ids, lng, lat (7 decimals), category, severity (events) or risk level (entities); events add source and time (epoch ms). People through person_points (none for planners). Other kinds are refused (22023).';
comment on function point_detail(text, uuid) is
  'One entity or event by kind and id with its cell; a person through person_detail (name masked for the command centre, personal fields as person_personal gives them). Null when the caller may not see it.';
