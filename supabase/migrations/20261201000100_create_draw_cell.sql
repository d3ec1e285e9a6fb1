-- Purpose: drawing a new cell into the tiling. The drawn shape, over the cells of one community,
--          becomes a new cell; the cells it lies on give up that area (a cell it covers whole is retired),
--          so the tiling stays seamless. One call, one transaction, one history row, like the
--          other grid edits. A cell that would be left in separate pieces needs the admin's
--          confirmation (SQLSTATE GA428 until p_allow_multipart is true).
-- Tables: cell_edits (operations 'draw' and 'import' allowed); cells, admin_areas, entities, events (rows
--         written through commit_cell_edit).
-- Destructive: nothing (a check constraint is widened).

alter table cell_edits drop constraint cell_edits_operation_check;
alter table cell_edits add constraint cell_edits_operation_check
  check (operation in ('split', 'merge', 'transfer', 'move', 'reshape', 'fix', 'draw', 'import', 'undo', 'redo'));

-- p_shape: the drawn Polygon (GeoJSON, WGS-84). p_cells: [{code, version}] of every current cell
-- of the community the shape lies on, as the editor saw them; a cell it lies on that is not named
-- (or named at another version) is a conflict, so an edit never works from a stale picture.
create function draw_cell(p_community_code text, p_shape jsonb, p_cells jsonb, p_reason text,
                          p_allow_multipart boolean default false)
returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  community admin_areas;
  shape geometry;
  cells_in cells[];
  fresh geometry;
  unnamed cells;
  donor cells;
  after jsonb := '[]';
  rest geometry;
  share integer;
  taken integer := 0;
  broken text;
begin
  perform require_grid_admin();
  select * into community from admin_areas where code = p_community_code and level = 'community' for update;
  if community.id is null then
    raise exception using errcode = '22023', message = format('there is no community %s', p_community_code);
  end if;
  begin
    shape := ST_SetSRID(ST_GeomFromGeoJSON(p_shape::text), 4326);
  exception when others then
    raise exception using errcode = '22023', message = format('the drawn shape is not GeoJSON: %s', sqlerrm);
  end;
  if GeometryType(shape) not in ('POLYGON', 'MULTIPOLYGON') then
    raise exception using errcode = '22023', message = format('draw a polygon, got %s', GeometryType(shape));
  end if;
  if not ST_IsValid(shape) then
    raise exception using errcode = '22023', message = format('the drawn shape is not valid: %s', ST_IsValidReason(shape));
  end if;

  -- The new cell is the drawn shape over the community's cells. Pieces are cut from each cell
  -- with the drawn shape itself, snapped to the cells' vertices within 1e-7° (about 1 cm, the
  -- rounding of the cells the app shows), so that what a cell keeps and what it gives are the two
  -- sides of one overlay and fit without a hairline.
  shape := ST_Snap(shape, (select ST_Collect(c.geom) from cells c
                           where c.valid_to is null and c.community_code = p_community_code and ST_Intersects(c.geom, shape)), 1e-7);
  if not exists (select 1 from cells c where c.valid_to is null and c.community_code = p_community_code
                   and ST_Intersects(c.geom, shape) and ST_Area(ST_Intersection(c.geom, shape)::geography) >= 1) then
    raise exception using errcode = '22023',
      message = format('the drawn shape does not lie in community %s (%s)', p_community_code, community.name);
  end if;

  select coalesce(array_agg(l), '{}') into cells_in from lock_cells(p_cells) l
    where ST_Intersects(l.geom, shape) and ST_Area(ST_Intersection(l.geom, shape)::geography) > 0.01;
  if exists (select 1 from unnest(cells_in) c where c.community_code <> p_community_code) then
    raise exception using errcode = '22023', message = format('name only cells of community %s', p_community_code);
  end if;
  select * into unnamed from cells c
    where c.valid_to is null and c.community_code = p_community_code and ST_Intersects(c.geom, shape)
      and ST_Area(ST_Intersection(c.geom, shape)::geography) > 0.01
      and c.code <> all(select x.code from unnest(cells_in) x)
    order by c.code limit 1;
  if unnamed.id is not null then
    raise exception using errcode = 'GA409',
      message = format('cell %s lies under the drawn shape but is not among the cells you named (it is new or was changed): reload and draw again', unnamed.code),
      detail = jsonb_build_array(jsonb_build_object('code', unnamed.code, 'version', unnamed.version,
                                                    'geometry', ST_AsGeoJSON(unnamed.geom, 9)::jsonb))::text;
  end if;
  fresh := ST_UnaryUnion(ST_Collect(array(
    select ST_CollectionExtract(ST_Intersection(c.geom, shape), 3) from unnest(cells_in) c)));

  -- What each cell keeps; households move with the area they lie on (by share of area).
  for donor in select * from unnest(cells_in) c order by c.code loop
    rest := ST_CollectionExtract(ST_Difference(donor.geom, shape), 3);
    if ST_IsEmpty(rest) or ST_Area(rest::geography) < 0.01 then
      taken := taken + donor.households;
      continue;
    end if;
    if ST_NumGeometries(rest) > 1 and not p_allow_multipart then
      broken := concat_ws(', ', broken, format('%s (%s parts)', donor.code, ST_NumGeometries(rest)));
    end if;
    share := round(donor.households * ST_Area(rest) / ST_Area(donor.geom))::integer;
    taken := taken + donor.households - share;
    after := after || jsonb_build_array(cell_with_shape(donor, rest) || jsonb_build_object('households', share));
  end loop;
  if ST_NumGeometries(fresh) > 1 and not p_allow_multipart then
    broken := concat_ws(', ', broken, format('the new cell (%s parts)', ST_NumGeometries(fresh)));
  end if;
  if broken is not null then
    raise exception using errcode = 'GA428',
      message = format('drawing this cell leaves %s in separate pieces; confirm multi-part cells to keep them', broken),
      hint = 'draw again, or confirm';
  end if;

  -- The new cell takes the class of the cell it takes most area from, until the rules run again.
  select * into donor from unnest(cells_in) c order by ST_Area(ST_Intersection(c.geom, fresh)) desc, c.code limit 1;
  after := after || jsonb_build_array(cell_with_shape(donor, fresh) || jsonb_build_object(
    'code', null, 'name', null,
    'class_source', case when donor.class_source = 'manual' then 'rule' else donor.class_source end,
    'class_reason', format('drawn over %s', (select string_agg(c.code, ', ' order by c.code) from unnest(cells_in) c)),
    'households', taken
  ));
  return commit_cell_edit('draw', p_reason, cells_in, after, p_allow_multipart);
end
$$;

grant execute on function draw_cell(text, jsonb, jsonb, text, boolean) to authenticated, service_role;
