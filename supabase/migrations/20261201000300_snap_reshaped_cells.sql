-- Purpose: reshaping cells from what the editor saw. The app reads cells as GeoJSON rounded to
--          7 decimals (about 1 cm); a cell whose vertices the database holds at full precision
--          (an earlier drag, a split point) would otherwise come back 0.0x m² different and be
--          refused as a moved outer border. reshape_cells now snaps each new shape to the current
--          vertices of the cells it replaces (within 1e-7°) before checking it. Same arguments.
-- Tables: none (a function is replaced).
-- Destructive: nothing.

-- Replaces the shapes of several cells at once: p_cells is [{code, version, geometry}].
-- 'reshape' (moving a shared border): together the cells must cover exactly the area they
-- covered before, so the edit can open no gap. 'fix' (filling gaps, cutting overlaps, as the
-- browser previewed them): they may cover more, but only where no other cell lies, and may lose
-- nothing. Either way the new shapes must not overlap each other.
create or replace function reshape_cells(p_cells jsonb, p_reason text, p_allow_multipart boolean default false, p_mode text default 'reshape')
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
    -- The editor saw the cells rounded (GeoJSON with 7 decimals, about 1 cm): put the vertices it
    -- did not move back where they are, so that rounding is never taken for a moved border.
    shape := ST_Snap(shape, (select ST_Collect(c.geom) from unnest(cells_in) c), 1e-7);
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
