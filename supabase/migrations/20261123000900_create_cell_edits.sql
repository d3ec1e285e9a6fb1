-- Purpose: editing the unit grid. Split, merge, give a cell's area to a neighbour, move a cell to
--          another community, reshape shared borders, fix gaps and overlaps, undo and redo. Each
--          edit is one call and one transaction: it locks the community, checks the version the
--          editor saw of every cell it touches (a stale edit is refused with the fresh cells, never
--          a lost update), closes the old versions and writes new ones, keeps the codes of
--          surviving cells and issues new codes that were never used before, re-assigns entities
--          and events in the changed area, carries workers' responsibilities over, and writes one
--          history row.
-- Tables: cell_edits (new); cells, admin_areas, entities, events, worker_cells (rows written by edits).
-- Destructive: nothing.

create table cell_edits (
  id bigint generated always as identity primary key,
  operation text not null check (operation in ('split', 'merge', 'transfer', 'move', 'reshape', 'fix', 'undo', 'redo')),
  reason text not null check (length(btrim(reason)) > 0),
  actor uuid,
  created_at timestamptz not null default now(),
  community_codes text[] not null,
  -- cells rows (versions) the edit closed and the ones it wrote.
  before_cells bigint[] not null,
  after_cells bigint[] not null,
  retired_codes text[] not null default '{}',
  new_codes text[] not null default '{}',
  before_geom geometry(MultiPolygon, 4326),
  after_geom geometry(MultiPolygon, 4326),
  reverts bigint references cell_edits (id),
  reverted_by bigint references cell_edits (id)
);
create index cell_edits_after_idx on cell_edits using gin (after_cells);
create index cell_edits_before_idx on cell_edits using gin (before_cells);
create index cell_edits_before_geom_idx on cell_edits using gist (before_geom);
create index cell_edits_after_geom_idx on cell_edits using gist (after_geom);

comment on table cell_edits is 'History of grid edits: who, when, what, why, the cell versions before and after.';

alter table cell_edits enable row level security;
grant select on cell_edits to authenticated, service_role;
grant insert, update on cell_edits to authenticated, service_role;
create policy "admins, command and planners read grid history" on cell_edits
  for select to authenticated using (app_role() in ('admin', 'command', 'planner'));
create policy "admins write grid history" on cell_edits
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');

-- Raised when an edit names a cell version that is no longer current. DETAIL carries the fresh
-- state as JSON: [{code, version, geometry}] (version null when the code is retired).
create function edit_conflict(p_code text, p_expected integer) returns void
language plpgsql
set search_path = public, extensions
as $$
declare
  fresh jsonb;
  now_version integer;
begin
  select c.version into now_version from cells c where c.code = p_code and c.valid_to is null;
  select coalesce(jsonb_agg(jsonb_build_object(
           'code', c.code, 'version', c.version, 'geometry', ST_AsGeoJSON(c.geom, 9)::jsonb) order by c.code), '[]')
    into fresh
    from cells c
    where c.valid_to is null
      and (c.code = p_code or (now_version is null and ST_Intersects(c.geom,
        (select o.geom from cells o where o.code = p_code order by o.version desc limit 1))));
  raise exception using
    errcode = 'GA409',
    message = case when now_version is null
      then format('cell %s no longer exists: it was changed by another edit after you loaded it', p_code)
      else format('cell %s was changed by another edit (now version %s, you edited version %s)', p_code, now_version, p_expected)
    end,
    detail = fresh::text,
    hint = 'reload the cells and make the edit again';
end
$$;

create function require_grid_admin() returns void
language plpgsql stable
set search_path = public, extensions
as $$
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may edit cells';
  end if;
end
$$;

-- Locks and returns the current rows of the given cells after checking the versions the editor
-- saw: p_expected is [{code, version}]. Locks their communities first, so that edits of one
-- community run one after the other and new codes never collide.
create function lock_cells(p_expected jsonb) returns setof cells
language plpgsql
set search_path = public, extensions
as $$
declare
  item jsonb;
  found_row cells;
begin
  if jsonb_typeof(p_expected) <> 'array' or jsonb_array_length(p_expected) = 0 then
    raise exception using errcode = '22023', message = 'name at least one cell as {code, version}';
  end if;
  perform 1 from admin_areas a
    where a.code in (select left(e ->> 'code', 12) from jsonb_array_elements(p_expected) e)
    order by a.code
    for update;
  for item in select * from jsonb_array_elements(p_expected) loop
    if item ->> 'code' is null or item ->> 'version' is null then
      raise exception using errcode = '22023', message = format('each cell needs a code and a version, got %s', item);
    end if;
    select * into found_row from cells c where c.code = item ->> 'code' and c.valid_to is null for update;
    if found_row.id is null or found_row.version <> (item ->> 'version')::integer then
      perform edit_conflict(item ->> 'code', (item ->> 'version')::integer);
    end if;
    return next found_row;
  end loop;
end
$$;

-- Returns p_count codes never used before in a community, in cell-numbering order of the
-- given shapes: north to south, then west to east (Beijing unit-grid standard).
create function next_cell_codes(p_community text, p_shapes geometry[]) returns text[]
language sql
set search_path = public, extensions
as $$
  with base as (
    select coalesce(max(right(code, 3)::integer), 0) n from cells where community_code = p_community
  ),
  ordered as (
    select s.ord, row_number() over (
      order by round(ST_Y(ST_PointOnSurface(s.g))::numeric, 4) desc, ST_X(ST_PointOnSurface(s.g)), s.ord) k
    from unnest(p_shapes) with ordinality s(g, ord)
  )
  select array_agg(p_community || lpad((base.n + o.k)::text, 3, '0') order by o.ord)
  from ordered o, base
$$;

-- Re-assigns the entities and events inside an area to the cells that now contain them.
-- Security definer: under RLS the spatial index cannot be used (ST_Intersects is not leakproof,
-- so the planner must check the row policies first, row by row). It only ever writes the cell
-- each point lies in, which is what the assignment trigger writes for anyone.
create function reassign_points(p_area geometry) returns void
language plpgsql security definer
set search_path = public, extensions
as $$
begin
  with moved as (
    select x.id, h.code, h.community_code
    from entities x left join lateral cell_at(x.geom) h on true
    where ST_Intersects(x.geom, p_area)
  )
  update entities e set cell_code = m.code, community_code = m.community_code, outside_district = m.code is null
    from moved m where e.id = m.id and e.cell_code is distinct from m.code;
  with moved as (
    select x.id, h.code, h.community_code
    from events x left join lateral cell_at(x.geom) h on true
    where ST_Intersects(x.geom, p_area)
  )
  update events e set cell_code = m.code, community_code = m.community_code, outside_district = m.code is null
    from moved m where e.id = m.id and e.cell_code is distinct from m.code;
end
$$;

-- Sets each community's shape to the union of its current cells, and each of their streets'
-- to the union of its communities.
create function refresh_community_shapes(p_codes text[]) returns void
language plpgsql
set search_path = public, extensions
as $$
begin
  update admin_areas a set geom = s.geom
    from (select c.community_code, ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(c.geom)), 3)) geom
          from cells c where c.valid_to is null and c.community_code = any(p_codes) group by c.community_code) s
    where a.code = s.community_code;
  update admin_areas a set geom = s.geom
    from (select c.parent_code, ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(c.geom)), 3)) geom
          from admin_areas c where c.level = 'community' and c.parent_code in (select x.parent_code from admin_areas x where x.code = any(p_codes))
          group by c.parent_code) s
    where a.code = s.parent_code and a.level = 'street';
end
$$;

-- Writes the new versions of an edit and its history row; returns the edit's summary as the
-- Backend hands it on: {editId, operation, cells: [{code, version}], newCodes, retiredCodes}.
-- p_after: [{code (null for a new cell), community_code, geom (geometry as EWKT/GeoJSON text),
-- class, class_reason, households, name}]. Cells in p_before are closed.
create function commit_cell_edit(
  p_operation text, p_reason text, p_before cells[], p_after jsonb, p_allow_multipart boolean default false,
  p_reverts bigint default null
) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  item jsonb;
  shape geometry;
  new_ids bigint[] := '{}';
  new_codes text[] := '{}';
  retired text[];
  row_id bigint;
  code_for text;
  before_union geometry;
  after_union geometry;
  edit_id bigint;
  communities text[];
  pending jsonb := '{}';
  fresh_shapes geometry[];
  fresh_codes text[];
  fresh_community text;
  i integer;
begin
  if p_reason is null or btrim(p_reason) = '' then
    raise exception using errcode = '22023', message = 'give a reason for the edit';
  end if;
  select ST_Union(b.geom) into before_union from unnest(p_before) b;

  -- Check every new shape, then close the old versions.
  for item in select * from jsonb_array_elements(p_after) loop
    shape := ST_SetSRID(ST_GeomFromGeoJSON(item ->> 'geom'), 4326);
    if not ST_IsValid(shape) then
      raise exception using errcode = '22023',
        message = format('the new shape of %s is not valid: %s', coalesce(item ->> 'code', 'a new cell'), ST_IsValidReason(shape));
    end if;
    if ST_IsEmpty(shape) or ST_Dimension(shape) <> 2 or ST_Area(shape) = 0 then
      raise exception using errcode = '22023', message = format('the new shape of %s is empty', coalesce(item ->> 'code', 'a new cell'));
    end if;
    if ST_NumGeometries(shape) > 1 and not p_allow_multipart then
      raise exception using errcode = '22023',
        message = format('the new shape of %s has %s separate parts; confirm a multi-part cell to keep it',
          coalesce(item ->> 'code', 'a new cell'), ST_NumGeometries(shape));
    end if;
  end loop;
  update cells c set valid_to = now() where c.id in (select b.id from unnest(p_before) b);

  -- Codes: kept where given, new ones numbered per community in reading order.
  for fresh_community in
    select distinct e ->> 'community_code' from jsonb_array_elements(p_after) e where e ->> 'code' is null
  loop
    select array_agg(ST_SetSRID(ST_GeomFromGeoJSON(e ->> 'geom'), 4326) order by o), array_agg(o::text order by o)
      into fresh_shapes, fresh_codes
      from jsonb_array_elements(p_after) with ordinality x(e, o)
      where e ->> 'code' is null and e ->> 'community_code' = fresh_community;
    pending := pending || (
      select jsonb_object_agg(fresh_codes[k], c)
      from unnest(next_cell_codes(fresh_community, fresh_shapes)) with ordinality n(c, k)
    );
  end loop;

  i := 0;
  for item in select * from jsonb_array_elements(p_after) loop
    i := i + 1;
    code_for := coalesce(item ->> 'code', pending ->> i::text);
    if item ->> 'code' is null then new_codes := new_codes || code_for; end if;
    insert into cells (code, name, community_code, class, class_source, class_reason, households, version, created_by, geom)
    values (
      code_for,
      coalesce(item ->> 'name', '网格' || right(code_for, 3)),
      item ->> 'community_code',
      coalesce(item ->> 'class', 'C'),
      coalesce(item ->> 'class_source', 'rule'),
      coalesce(item ->> 'class_reason', ''),
      coalesce((item ->> 'households')::integer, 0),
      coalesce((select max(c.version) from cells c where c.code = code_for), 0) + 1,
      auth.uid(),
      ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(item ->> 'geom'), 4326))
    )
    returning id into row_id;
    new_ids := new_ids || row_id;
  end loop;

  select ST_Union(c.geom) into after_union from cells c where c.id = any(new_ids);
  select array_agg(distinct b.code order by b.code) into retired
    from unnest(p_before) b where not exists (select 1 from cells c where c.code = b.code and c.valid_to is null);
  select array_agg(distinct x order by x) into communities
    from (select b.community_code x from unnest(p_before) b
          union select c.community_code from cells c where c.id = any(new_ids)) s;

  -- Workers: a new cell is looked after by the workers of the cells it was made from; a retired
  -- cell's workers move to the cell that took most of its area.
  insert into worker_cells (user_id, cell_code)
    select distinct w.user_id, n.code
    from cells n
    join unnest(p_before) b on ST_Area(ST_Intersection(n.geom, b.geom)) > 0
    join worker_cells w on w.cell_code = b.code
    where n.id = any(new_ids) and n.code = any(new_codes)
  on conflict do nothing;
  insert into worker_cells (user_id, cell_code)
    select distinct w.user_id, heir.code
    from unnest(p_before) b
    join worker_cells w on w.cell_code = b.code
    cross join lateral (
      select n.code from cells n where n.id = any(new_ids)
      order by ST_Area(ST_Intersection(n.geom, b.geom)) desc, n.code limit 1
    ) heir
    where b.code = any(coalesce(retired, '{}'))
  on conflict do nothing;
  delete from worker_cells w where w.cell_code = any(coalesce(retired, '{}'));

  perform reassign_points(ST_Union(before_union, after_union));
  -- An edit across communities (a move, a border between two communities) moves their borders.
  if array_length(communities, 1) > 1 then
    perform refresh_community_shapes(communities);
  end if;

  insert into cell_edits (operation, reason, actor, community_codes, before_cells, after_cells, retired_codes, new_codes,
                          before_geom, after_geom, reverts)
  values (p_operation, btrim(p_reason), auth.uid(), communities,
          (select array_agg(b.id) from unnest(p_before) b), new_ids, coalesce(retired, '{}'), new_codes,
          ST_Multi(ST_CollectionExtract(before_union, 3)), ST_Multi(ST_CollectionExtract(after_union, 3)), p_reverts)
  returning id into edit_id;
  if p_reverts is not null then
    update cell_edits set reverted_by = edit_id where id = p_reverts;
  end if;

  return jsonb_build_object(
    'editId', edit_id,
    'operation', p_operation,
    'cells', (select jsonb_agg(jsonb_build_object('code', c.code, 'version', c.version) order by c.code)
              from cells c where c.id = any(new_ids)),
    'newCodes', to_jsonb(new_codes),
    'retiredCodes', to_jsonb(coalesce(retired, '{}'))
  );
end
$$;

-- Returns a cell as commit_cell_edit takes it (its columns, with a new shape); edits override
-- what they change with ||.
create function cell_with_shape(p_cell cells, p_shape geometry) returns jsonb
language sql immutable
set search_path = public, extensions
as $$
  select jsonb_build_object(
    'code', p_cell.code, 'community_code', p_cell.community_code, 'name', p_cell.name,
    'class', p_cell.class, 'class_source', p_cell.class_source, 'class_reason', p_cell.class_reason,
    'households', p_cell.households, 'geom', ST_AsGeoJSON(p_shape, 15))
$$;

-- Splits a cell along a line (or several lines, as a MultiLineString) drawn across it. The
-- largest part keeps the code; the others get new codes. Vertices where the line crosses a
-- border are added to the neighbours too (their shape does not change), so that neighbours keep
-- sharing vertices.
create function split_cell(p_code text, p_version integer, p_line jsonb, p_reason text) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  cell cells;
  blade geometry;
  parts geometry[];
  after jsonb := '[]';
  share integer;
  given integer := 0;
  result jsonb;
begin
  perform require_grid_admin();
  select * into cell from lock_cells(jsonb_build_array(jsonb_build_object('code', p_code, 'version', p_version)));
  blade := ST_SetSRID(ST_GeomFromGeoJSON(p_line::text), 4326);
  if ST_Dimension(blade) <> 1 then
    raise exception using errcode = '22023', message = 'split with a line or lines';
  end if;
  select array_agg(d.geom order by ST_Area(d.geom) desc) into parts
    from ST_Dump(ST_CollectionExtract(ST_Split(cell.geom, blade), 3)) d
    where ST_Area(d.geom) > 0;
  if coalesce(array_length(parts, 1), 0) < 2 then
    raise exception using errcode = '22023',
      message = format('the line does not cross cell %s from one side to the other', p_code);
  end if;
  -- Households shared by area; the remainder stays with the largest part (parts[1]).
  for k in reverse array_length(parts, 1)..1 loop
    share := case when k = 1 then cell.households - given
                  else floor(cell.households * ST_Area(parts[k]) / ST_Area(cell.geom))::integer end;
    given := given + share;
    after := jsonb_build_array(cell_with_shape(cell, parts[k]) || jsonb_build_object(
      'code', case when k = 1 then cell.code end,
      'name', case when k = 1 then cell.name end,
      'class_reason', case when cell.class_source = 'manual' then cell.class_reason else format('split from %s', cell.code) end,
      'households', share
    )) || after;
  end loop;
  result := commit_cell_edit('split', p_reason, array[cell], after);
  -- Topologically neutral: add the new vertices to neighbours' borders (same shape, same version).
  update cells n set geom = ST_Multi(ST_Snap(n.geom, ST_Collect(parts), 1e-9))
    where n.valid_to is null and n.code <> all(select r ->> 'code' from jsonb_array_elements(result -> 'cells') r)
      and ST_Intersects(n.geom, cell.geom) and ST_IsValid(ST_Snap(n.geom, ST_Collect(parts), 1e-9));
  return result;
end
$$;

-- Merges cells of one community that form one connected shape. The largest keeps its code; the
-- class is the highest of the merged cells until rule sets recompute it.
create function merge_cells(p_cells jsonb, p_reason text, p_keep text default null) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  cells_in cells[];
  merged geometry;
  keeper cells;
  top_class text;
  manual boolean;
begin
  perform require_grid_admin();
  select array_agg(l order by l.code) into cells_in from lock_cells(p_cells) l;
  if array_length(cells_in, 1) < 2 then
    raise exception using errcode = '22023', message = 'choose at least two cells to merge';
  end if;
  if (select count(distinct c.community_code) from unnest(cells_in) c) > 1 then
    raise exception using errcode = '22023',
      message = 'the cells belong to different communities; move one first, then merge';
  end if;
  merged := ST_UnaryUnion(ST_Collect(array(select c.geom from unnest(cells_in) c)));
  if ST_NumGeometries(merged) > 1 then
    raise exception using errcode = '22023',
      message = format('cells %s do not share a border (touching at a point is not enough)',
        (select string_agg(c.code, ', ') from unnest(cells_in) c));
  end if;
  select * into keeper from unnest(cells_in) c
    order by (c.code = p_keep) desc, ST_Area(c.geom) desc, c.code limit 1;
  select min(c.class), bool_or(c.class_source = 'manual') into top_class, manual from unnest(cells_in) c;
  return commit_cell_edit('merge', p_reason, cells_in, jsonb_build_array(cell_with_shape(keeper, merged) || jsonb_build_object(
    'class', top_class,
    'class_source', case when manual then 'manual' else 'rule' end,
    'class_reason', format('merged from %s: highest class kept',
      (select string_agg(c.code, ', ' order by c.code) from unnest(cells_in) c)),
    'households', (select sum(c.households) from unnest(cells_in) c)
  )));
end
$$;

-- Deletes a cell by giving its whole area to a neighbour that shares a border with it; the
-- neighbour keeps its code and the deleted cell's code is retired.
create function transfer_cell(p_code text, p_version integer, p_to_code text, p_to_version integer, p_reason text)
returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  result jsonb;
begin
  if p_code = p_to_code then
    raise exception using errcode = '22023', message = 'give the cell to a different cell';
  end if;
  result := merge_cells(
    jsonb_build_array(jsonb_build_object('code', p_code, 'version', p_version),
                      jsonb_build_object('code', p_to_code, 'version', p_to_version)),
    p_reason, p_to_code);
  update cell_edits set operation = 'transfer' where id = (result ->> 'editId')::bigint;
  return result || jsonb_build_object('operation', 'transfer');
end
$$;

-- Moves a cell to a neighbouring community of the same street: it gets a new code there, and
-- both communities' boundaries follow.
create function move_cell(p_code text, p_version integer, p_community_code text, p_reason text) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  cell cells;
  target admin_areas;
  result jsonb;
begin
  perform require_grid_admin();
  select * into target from admin_areas where code = p_community_code and level = 'community' for update;
  if target.id is null then
    raise exception using errcode = '22023', message = format('there is no community %s', p_community_code);
  end if;
  select * into cell from lock_cells(jsonb_build_array(jsonb_build_object('code', p_code, 'version', p_version)));
  if cell.community_code = p_community_code then
    raise exception using errcode = '22023', message = format('cell %s is already in community %s', p_code, p_community_code);
  end if;
  if left(cell.community_code, 9) <> left(p_community_code, 9) then
    raise exception using errcode = '22023',
      message = format('community %s is in another street; cells move only between communities of one street', p_community_code);
  end if;
  if not exists (
    select 1 from cells n where n.valid_to is null and n.community_code = p_community_code
      and ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(n.geom), ST_Boundary(cell.geom)), 2)) > 0
  ) then
    raise exception using errcode = '22023',
      message = format('cell %s does not share a border with community %s', p_code, p_community_code);
  end if;
  -- A new code in the new community, and the default name that goes with it.
  result := commit_cell_edit('move', p_reason, array[cell], jsonb_build_array(cell_with_shape(cell, cell.geom) ||
    jsonb_build_object('code', null, 'name', null, 'community_code', p_community_code)));
  return result;
end
$$;

-- Replaces the shapes of several cells at once: p_cells is [{code, version, geometry}].
-- 'reshape' (moving a shared border): together the cells must cover exactly the area they
-- covered before, so the edit can open no gap. 'fix' (filling gaps, cutting overlaps, as the
-- browser previewed them): they may cover more, but only where no other cell lies, and may lose
-- nothing. Either way the new shapes must not overlap each other.
create function reshape_cells(p_cells jsonb, p_reason text, p_allow_multipart boolean default false, p_mode text default 'reshape')
returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  cells_in cells[];
  item jsonb;
  shapes geometry[] := '{}';
  old_union geometry;
  new_union geometry;
  sum_area double precision;
  after jsonb := '[]';
  shape geometry;
  others_area double precision;
begin
  perform require_grid_admin();
  select array_agg(l) into cells_in from lock_cells(p_cells) l;
  for item in select * from jsonb_array_elements(p_cells) loop
    if item -> 'geometry' is null then
      raise exception using errcode = '22023', message = format('cell %s needs its new geometry', item ->> 'code');
    end if;
    shape := ST_SetSRID(ST_GeomFromGeoJSON((item -> 'geometry')::text), 4326);
    shapes := shapes || shape;
  end loop;
  old_union := ST_UnaryUnion(ST_Collect(array(select c.geom from unnest(cells_in) c)));
  new_union := ST_UnaryUnion(ST_Collect(shapes));
  select sum(ST_Area(g::geography)) into sum_area from unnest(shapes) g;
  if p_mode not in ('reshape', 'fix') then
    raise exception using errcode = '22023', message = format('mode must be reshape or fix, got %s', p_mode);
  end if;
  if p_mode = 'fix' then
    -- What the cells give up (an overlap cut away) must stay covered by another cell.
    select ST_Area(ST_Difference(ST_Difference(old_union, new_union), coalesce(ST_Union(o.geom), 'SRID=4326;POLYGON EMPTY'::geometry))::geography)
      into others_area
      from cells o
      where o.valid_to is null and o.code <> all(select c.code from unnest(cells_in) c)
        and ST_Intersects(o.geom, ST_Difference(old_union, new_union));
    if coalesce(others_area, ST_Area(ST_Difference(old_union, new_union)::geography)) > 0.01 then
      raise exception using errcode = '22023',
        message = format('the new shapes leave %s m² uncovered', round(coalesce(others_area,
          ST_Area(ST_Difference(old_union, new_union)::geography))::numeric, 2));
    end if;
    select coalesce(sum(ST_Area(ST_Intersection(o.geom, ST_Difference(new_union, old_union))::geography)), 0) into others_area
      from cells o
      where o.valid_to is null and o.code <> all(select c.code from unnest(cells_in) c)
        and ST_Intersects(o.geom, ST_Difference(new_union, old_union));
    if others_area > 0.01 then
      raise exception using errcode = '22023',
        message = format('the new shapes reach %s m² into other cells', round(others_area::numeric, 2));
    end if;
  elsif ST_Area(ST_SymDifference(old_union, new_union)::geography) > 0.01 then
    raise exception using errcode = '22023',
      message = format('the new shapes cover %s m² more or less than the cells did: move a border shared by all of them',
        round(ST_Area(ST_SymDifference(old_union, new_union)::geography)::numeric, 2));
  end if;
  if sum_area - ST_Area(new_union::geography) > 0.01 then
    raise exception using errcode = '22023',
      message = format('the new shapes overlap each other by %s m²', round((sum_area - ST_Area(new_union::geography))::numeric, 2));
  end if;
  select jsonb_agg(cell_with_shape(c, n.shape)) into after
    from jsonb_array_elements(p_cells) with ordinality i(item, k)
    join unnest(shapes) with ordinality n(shape, k) using (k)
    join unnest(cells_in) c on c.code = i.item ->> 'code';
  return commit_cell_edit(p_mode, p_reason, cells_in, after, p_allow_multipart);
end
$$;

-- Undoes an edit (or redoes an undone one, by undoing the undo): the cells it wrote must still
-- be current; they are closed and the cells it closed come back with their codes.
create function revert_cell_edit(p_edit_id bigint, p_reason text default null) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  edit cell_edits;
  stale cells;
  cells_in cells[];
  after jsonb;
  result jsonb;
begin
  perform require_grid_admin();
  select * into edit from cell_edits where id = p_edit_id for update;
  if edit.id is null then
    raise exception using errcode = '22023', message = format('there is no grid edit %s', p_edit_id);
  end if;
  if edit.reverted_by is not null then
    raise exception using errcode = 'GA409', message = format('edit %s was already undone (by edit %s)', p_edit_id, edit.reverted_by);
  end if;
  -- The cells must be as the edit left them: same codes, same shapes (later edits that were
  -- themselves undone leave new versions with the same shapes, which is fine).
  select * into stale from cells a
    where a.id = any(edit.after_cells)
      and not exists (select 1 from cells c where c.code = a.code and c.valid_to is null and ST_Equals(c.geom, a.geom))
    order by a.code limit 1;
  if stale.id is not null then
    perform edit_conflict(stale.code, stale.version);
  end if;
  select array_agg(l) into cells_in from lock_cells(
    (select jsonb_agg(jsonb_build_object('code', c.code, 'version', c.version)) from cells c
     where c.valid_to is null and c.code in (select a.code from cells a where a.id = any(edit.after_cells)))) l;
  select jsonb_agg(cell_with_shape(b, b.geom) order by b.code)
    into after from cells b where b.id = any(edit.before_cells);
  result := commit_cell_edit(
    case when edit.operation = 'undo' then 'redo' else 'undo' end,
    coalesce(nullif(btrim(p_reason), ''), format('%s of edit %s', case when edit.operation = 'undo' then 'redo' else 'undo' end, p_edit_id)),
    cells_in, after, true, p_edit_id);
  return result;
end
$$;

-- Every version of a cell with the edit that wrote it: for the history timeline.
create function cell_history(p_code text) returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'version', c.version, 'validFrom', c.valid_from, 'validTo', c.valid_to, 'class', c.class,
      'communityCode', c.community_code,
      'editId', e.id, 'operation', e.operation, 'reason', e.reason,
      'actorName', (select m.display_name from members m where m.user_id = e.actor),
      'geometry', ST_AsGeoJSON(c.geom, 7)::jsonb) order by c.version), '[]')
  from cells c
  left join cell_edits e on c.id = any(e.after_cells)
  where c.code = p_code
$$;

-- The latest edits, newest first, with whether each can still be undone.
create function recent_cell_edits(p_limit integer default 50) returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select coalesce(jsonb_agg(x order by (x ->> 'id')::bigint desc), '[]') from (
    select jsonb_build_object(
      'id', e.id, 'operation', e.operation, 'reason', e.reason, 'createdAt', e.created_at,
      'actorName', (select m.display_name from members m where m.user_id = e.actor),
      'communityCodes', e.community_codes, 'newCodes', e.new_codes, 'retiredCodes', e.retired_codes,
      'reverts', e.reverts, 'revertedBy', e.reverted_by,
      'undoable', e.reverted_by is null and not exists (
        select 1 from cells a where a.id = any(e.after_cells) and not exists (
          select 1 from cells c where c.code = a.code and c.valid_to is null and ST_Equals(c.geom, a.geom))),
      'codes', (select jsonb_agg(distinct c.code) from cells c where c.id = any(e.after_cells))
    ) x
    from cell_edits e order by e.id desc limit greatest(1, least(p_limit, 500))
  ) s
$$;

grant execute on function split_cell(text, integer, jsonb, text), merge_cells(jsonb, text, text),
  transfer_cell(text, integer, text, integer, text), move_cell(text, integer, text, text),
  reshape_cells(jsonb, text, boolean, text), revert_cell_edit(bigint, text),
  cell_history(text), recent_cell_edits(integer) to authenticated, service_role;
