-- Purpose: read functions the app calls as RPCs, identical on PGlite, PostgreSQL and Supabase.
--          All are SECURITY INVOKER: row level security decides what each caller gets back.
-- Functions: district_overview, admin_areas_geojson, cells_geojson, cell_detail, points_columns,
--            point_detail (new).
-- Destructive: nothing.

-- Returns the district's code, name, bbox [w, s, e, n] and counts of what the caller may see.
create function district_overview() returns jsonb
language sql stable
set search_path = public, extensions
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
      'person', (select count(*) from entities where kind = 'person'),
      'place', (select count(*) from entities where kind = 'place'),
      'thing', (select count(*) from entities where kind = 'thing'),
      'organisation', (select count(*) from entities where kind = 'organisation'),
      'event', (select count(*) from events)
    )
  )
  from extent
$$;

-- Returns a GeoJSON FeatureCollection of the admin areas of one level.
create function admin_areas_geojson(p_level text) returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select jsonb_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(jsonb_agg(jsonb_build_object(
      'type', 'Feature',
      'properties', jsonb_build_object('code', code, 'name', name, 'level', level, 'parentCode', parent_code),
      'geometry', ST_AsGeoJSON(geom, 7)::jsonb
    ) order by code), '[]'::jsonb)
  )
  from admin_areas
  where level = p_level
$$;

-- Returns a GeoJSON FeatureCollection of the current cells the caller may see.
create function cells_geojson() returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select jsonb_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(jsonb_agg(jsonb_build_object(
      'type', 'Feature',
      'id', c.id,
      'properties', jsonb_build_object(
        'code', c.code,
        'name', c.name,
        'communityCode', c.community_code,
        'communityName', a.name,
        'class', c.class,
        'classSource', c.class_source,
        'households', c.households,
        'version', c.version
      ),
      'geometry', ST_AsGeoJSON(c.geom, 7)::jsonb
    ) order by c.code), '[]'::jsonb)
  )
  from cells c
  left join admin_areas a on a.code = c.community_code
  where c.valid_to is null
$$;

-- Returns one current cell with its class reason, area, and counts of what lies in it; null
-- when the cell does not exist or the caller may not see it.
create function cell_detail(p_code text) returns jsonb
language sql stable
set search_path = public, extensions
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
      'person', (select count(*) from entities e where e.cell_code = c.code and e.kind = 'person'),
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

-- Returns the points of one kind as columns (ids, lng, lat, category, and for events severity
-- and time in epoch milliseconds), which is far smaller than GeoJSON for 10^5 points.
create function points_columns(p_kind text) returns jsonb
language plpgsql stable
set search_path = public, extensions
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
      'time', coalesce(jsonb_agg((extract(epoch from occurred_at) * 1000)::bigint order by occurred_at), '[]'::jsonb)
    ) into result
    from events;
  elsif p_kind in ('person', 'place', 'thing', 'organisation') then
    select jsonb_build_object(
      'kind', p_kind,
      'ids', coalesce(jsonb_agg(id order by external_id), '[]'::jsonb),
      'lng', coalesce(jsonb_agg(round(ST_X(geom)::numeric, 7) order by external_id), '[]'::jsonb),
      'lat', coalesce(jsonb_agg(round(ST_Y(geom)::numeric, 7) order by external_id), '[]'::jsonb),
      'category', coalesce(jsonb_agg(category order by external_id), '[]'::jsonb),
      'severity', coalesce(jsonb_agg(risk_level order by external_id), '[]'::jsonb)
    ) into result
    from entities
    where kind = p_kind;
  else
    raise exception 'unknown point kind "%"', p_kind using errcode = '22023';
  end if;
  return result;
end
$$;

-- Returns one entity or event with its cell; personal fields appear only where the caller may
-- read person_private (row level security decides). Null when not found or not visible.
create function point_detail(p_kind text, p_id uuid) returns jsonb
language plpgsql stable
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
      'personal', case when p.entity_id is null then null else jsonb_build_object(
        'idCardNumber', p.id_card_number, 'phone', p.phone, 'address', p.address) end
    ) into result
    from entities e
    left join cells c on c.code = e.cell_code and c.valid_to is null
    left join person_private p on p.entity_id = e.id
    where e.id = p_id and e.kind = p_kind;
  end if;
  return result;
end
$$;

grant execute on function district_overview(), admin_areas_geojson(text), cells_geojson(), cell_detail(text),
  points_columns(text), point_detail(text, uuid) to authenticated, service_role;
revoke execute on function district_overview(), admin_areas_geojson(text), cells_geojson(), cell_detail(text),
  points_columns(text), point_detail(text, uuid) from anon, public;

-- Returns the calling member as {userId, role, displayName}, or null for a non-member.
create function current_member() returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select jsonb_build_object('userId', user_id, 'role', role, 'displayName', display_name)
  from members where user_id = auth.uid()
$$;

grant execute on function current_member() to authenticated, service_role;
revoke execute on function current_member() from anon, public;
