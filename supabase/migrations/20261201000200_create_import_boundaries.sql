-- Purpose: importing boundaries. import_cells replaces the cells of the communities an import
--          covers with the imported ones, as one grid edit (history, undo, codes kept where the
--          file names a current cell, new codes numbered as usual, entities re-assigned); the
--          communities' boundaries stay, so that validation shows what the file leaves uncovered.
--          import_communities adds or updates community boundaries under existing streets.
-- Tables: cell_edits (before_cells may be empty: an import into a community without cells);
--         cells, admin_areas, entities, events (rows written).
-- Destructive: nothing (a not-null constraint is dropped).

alter table cell_edits alter column before_cells drop not null;

-- p_cells: [{row, code (or null), name, community_code, households (or null), geometry}] in
-- WGS-84, as read and checked in the browser; p_expected: [{code, version}] of every current
-- cell of those communities as the editor saw them (a cell missing there is a conflict).
create function import_cells(p_cells jsonb, p_expected jsonb, p_reason text, p_allow_multipart boolean default false)
returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  communities text[];
  missing text;
  cells_in cells[] := '{}';
  unnamed cells;
  item jsonb;
  shape geometry;
  shapes geometry[] := '{}';
  total_area double precision := 0;
  union_area double precision;
  clash_a bigint;
  clash_b bigint;
  clash_area double precision;
  prior cells;
  used text[] := '{}';
  after jsonb := '[]';
  result jsonb;
  kept_areas admin_areas[];
begin
  perform require_grid_admin();
  if jsonb_typeof(p_cells) <> 'array' or jsonb_array_length(p_cells) = 0 then
    raise exception using errcode = '22023', message = 'the import holds no cells';
  end if;
  select array_agg(distinct e ->> 'community_code' order by e ->> 'community_code') into communities
    from jsonb_array_elements(p_cells) e;
  select c into missing from unnest(communities) c
    where not exists (select 1 from admin_areas a where a.code = c and a.level = 'community') limit 1;
  if missing is not null or array_position(communities, null) is not null then
    raise exception using errcode = '22023', message = format('there is no community %s', coalesce(missing, '(none given)'));
  end if;
  perform 1 from admin_areas a where a.code = any(communities) order by a.code for update;
  if jsonb_array_length(coalesce(p_expected, '[]')) > 0 then
    select array_agg(l) into cells_in from lock_cells(p_expected) l;
  end if;
  select * into unnamed from cells c
    where c.valid_to is null and c.community_code = any(communities) and c.code <> all(select x.code from unnest(cells_in) x)
    order by c.code limit 1;
  if unnamed.id is not null then
    raise exception using errcode = 'GA409',
      message = format('cell %s of community %s is not among the cells you saw (it is new or was changed): reload and import again',
        unnamed.code, unnamed.community_code),
      detail = jsonb_build_array(jsonb_build_object('code', unnamed.code, 'version', unnamed.version,
                                                    'geometry', ST_AsGeoJSON(unnamed.geom, 9)::jsonb))::text;
  end if;

  -- Every shape valid, and no two overlapping (gaps may stay: validation lists them).
  for item in select * from jsonb_array_elements(p_cells) loop
    begin
      shape := ST_SetSRID(ST_GeomFromGeoJSON((item -> 'geometry')::text), 4326);
    exception when others then
      raise exception using errcode = '22023', message = format('feature %s has no readable geometry: %s', item ->> 'row', sqlerrm);
    end;
    if not ST_IsValid(shape) then
      raise exception using errcode = '22023',
        message = format('feature %s (%s) is not a valid polygon: %s', item ->> 'row', coalesce(item ->> 'name', item ->> 'code', ''), ST_IsValidReason(shape));
    end if;
    shapes := shapes || shape;
    total_area := total_area + ST_Area(shape::geography);
  end loop;
  union_area := ST_Area(ST_UnaryUnion(ST_Collect(shapes))::geography);
  -- PGlite's PostGIS can return nothing for a union GEOS only manages through its exception-
  -- driven fallback; then check pair by pair instead of trusting an empty answer.
  if union_area is null or total_area - union_area > 0.01 then
    select a.k, b.k, ST_Area(ST_Intersection(a.g, b.g)::geography) into clash_a, clash_b, clash_area
      from unnest(shapes) with ordinality a(g, k)
      join unnest(shapes) with ordinality b(g, k) on a.k < b.k and ST_Intersects(a.g, b.g)
      where ST_Area(ST_Intersection(a.g, b.g)::geography) > 0.01
      order by a.k, b.k limit 1;
  end if;
  if clash_a is not null then
    raise exception using errcode = '22023',
      message = format('features %s and %s overlap by %s m²; cells must not overlap',
        p_cells -> (clash_a::integer - 1) ->> 'row', p_cells -> (clash_b::integer - 1) ->> 'row', round(clash_area::numeric, 2));
  end if;

  -- A code the file gives that is a current cell of the same community is kept (once); every
  -- other cell gets a new code in that community.
  for item in select * from jsonb_array_elements(p_cells) loop
    prior := null;
    select * into prior from unnest(cells_in) c
      where c.code = item ->> 'code' and c.community_code = item ->> 'community_code' and c.code <> all(used);
    if prior.id is not null then
      used := used || prior.code;
      after := after || jsonb_build_array(cell_with_shape(prior, ST_SetSRID(ST_GeomFromGeoJSON((item -> 'geometry')::text), 4326))
        || jsonb_build_object(
          'name', coalesce(nullif(btrim(item ->> 'name'), ''), prior.name),
          'households', coalesce((item ->> 'households')::integer, prior.households)));
    else
      after := after || jsonb_build_array(jsonb_build_object(
        'code', null, 'community_code', item ->> 'community_code', 'name', nullif(btrim(item ->> 'name'), ''),
        'class', 'C', 'class_source', 'rule', 'class_reason', format('imported (feature %s)', item ->> 'row'),
        'households', coalesce((item ->> 'households')::integer, 0),
        'geom', ST_AsGeoJSON(ST_SetSRID(ST_GeomFromGeoJSON((item -> 'geometry')::text), 4326), 15)));
    end if;
  end loop;

  -- Community and street boundaries stay as they are (an edit across communities would redraw
  -- them from the cells): a gap or a cell outside its community left by the file stays visible
  -- to the validation instead of silently moving the boundary.
  select array_agg(a) into kept_areas from admin_areas a
    where a.code = any(communities) or a.code in (select left(c, 9) from unnest(communities) c);
  result := commit_cell_edit('import', p_reason, cells_in, after, p_allow_multipart);
  update admin_areas a set geom = k.geom from unnest(kept_areas) k where a.id = k.id and not ST_Equals(a.geom, k.geom);
  -- Points go to the cells they lie in now.
  perform reassign_points(ST_UnaryUnion(ST_Collect(shapes)));
  return result || jsonb_build_object('communities', to_jsonb(communities));
end
$$;

-- p_areas: [{row, code (12 digits), name, geometry}] in WGS-84. Adds a community under its
-- street (the first 9 digits of its code), or updates the name and boundary of an existing one.
create function import_communities(p_areas jsonb) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  item jsonb;
  shape geometry;
  inserted integer := 0;
  updated integer := 0;
begin
  perform require_grid_admin();
  for item in select * from jsonb_array_elements(p_areas) loop
    if coalesce(item ->> 'code', '') !~ '^[0-9]{12}$' then
      raise exception using errcode = '22023',
        message = format('feature %s: a community code has 12 digits, got "%s"', item ->> 'row', coalesce(item ->> 'code', ''));
    end if;
    if coalesce(btrim(item ->> 'name'), '') = '' then
      raise exception using errcode = '22023', message = format('feature %s (%s) has no name', item ->> 'row', item ->> 'code');
    end if;
    if not exists (select 1 from admin_areas a where a.code = left(item ->> 'code', 9) and a.level = 'street') then
      raise exception using errcode = '22023',
        message = format('feature %s: there is no street %s for community %s', item ->> 'row', left(item ->> 'code', 9), item ->> 'code');
    end if;
    shape := ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON((item -> 'geometry')::text), 4326));
    if not ST_IsValid(shape) then
      raise exception using errcode = '22023',
        message = format('feature %s (%s) is not a valid polygon: %s', item ->> 'row', item ->> 'code', ST_IsValidReason(shape));
    end if;
    if exists (select 1 from admin_areas a where a.code = item ->> 'code') then
      update admin_areas set name = btrim(item ->> 'name'), geom = shape where code = item ->> 'code' and level = 'community';
      updated := updated + 1;
    else
      insert into admin_areas (level, code, name, parent_code, geom)
      values ('community', item ->> 'code', btrim(item ->> 'name'), left(item ->> 'code', 9), shape);
      inserted := inserted + 1;
    end if;
  end loop;
  return jsonb_build_object('inserted', inserted, 'updated', updated);
end
$$;

grant execute on function import_cells(jsonb, jsonb, text, boolean), import_communities(jsonb) to authenticated, service_role;
