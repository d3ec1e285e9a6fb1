-- Purpose: three more holes an attacker found (issue 22).
--   1. Cell codes wrapped after 999 in a community: next_cell_codes padded with lpad(n, 3), which
--      cuts '1000' to '100' and handed out a retired code. It now refuses, naming the community,
--      when its 999 codes are used up (the 15-digit code has no room for more).
--   2. Moving cell A to B's community while another session moved B to A's deadlocked (40P01):
--      move_cell locked the target community, then the cell's own. It now locks both in code
--      order, as lock_cells does, so the second move waits and then sees the first.
--   3. geocode_address and search_map took minutes on a query of a few hundred kB, and any
--      member may call them: a query is now at most 200 characters.
-- Functions: next_cell_codes, move_cell, geocode_address, search_map (replaced).
-- Destructive: none.

create or replace function next_cell_codes(p_community text, p_shapes geometry[]) returns text[]
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  used integer;
  wanted integer := coalesce(array_length(p_shapes, 1), 0);
  codes text[];
begin
  -- Every code the community ever had, retired ones too: none is handed out again.
  select coalesce(max(right(code, 3)::integer), 0) into used
    from cells where community_code = p_community or left(code, 12) = p_community;
  if used + wanted > 999 then
    raise exception using errcode = '22023',
      message = format('community %s has used %s of its 999 cell codes and this edit needs %s more: a cell code has three digits for its number, so merge cells or divide the community',
                       p_community, used, wanted);
  end if;
  with ordered as (
    select s.ord, row_number() over (
      order by round(ST_Y(ST_PointOnSurface(s.g))::numeric, 4) desc, ST_X(ST_PointOnSurface(s.g)), s.ord) k
    from unnest(p_shapes) with ordinality s(g, ord)
  )
  select array_agg(p_community || lpad((used + o.k)::text, 3, '0') order by o.ord) into codes from ordered o;
  return codes;
end
$$;

create or replace function move_cell(p_code text, p_version integer, p_community_code text, p_reason text) returns jsonb
language plpgsql security definer
set search_path = public, extensions, pg_temp
as $$
declare
  cell cells;
  target admin_areas;
  result jsonb;
begin
  perform require_grid_admin();
  -- Both communities locked first, in code order (as lock_cells does): two opposite moves wait
  -- for each other instead of deadlocking.
  perform 1 from admin_areas a where a.code in (p_community_code, left(p_code, 12)) order by a.code for update;
  select * into target from admin_areas where code = p_community_code and level = 'community';
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

create or replace function geocode_address(p_query text, p_door text, p_limit integer DEFAULT 5) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
begin
  if char_length(p_query) > 200 then
    raise exception using errcode = '22023', message = format('a query may have at most 200 characters, this one has %s', char_length(p_query));
  end if;
  return (
  with q as (
    select p_query as whole, coalesce(nullif(p_door, ''), p_query) as door
  ), scored as (
    select a.*, case when a.normalized in (q.whole, q.door) then 1.0
                     else greatest(similarity(a.normalized, q.whole), similarity(a.normalized, q.door)) end as score
    from addresses a, q
    where a.normalized % q.whole or a.normalized % q.door or a.normalized in (q.whole, q.door)
    order by score desc, a.id
    limit greatest(1, least(p_limit, 50))
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', id, 'kind', kind, 'address', address, 'name', name,
    'score', round(score::numeric, 3),
    'lngLat', jsonb_build_array(ST_X(geom), ST_Y(geom)),
    'cellCode', cell_code
  ) order by score desc, id), '[]'::jsonb)
  from scored
  );
end
$$;

create or replace function search_map(p_query text, p_limit integer DEFAULT 20) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
begin
  if char_length(p_query) > 200 then
    raise exception using errcode = '22023', message = format('a query may have at most 200 characters, this one has %s', char_length(p_query));
  end if;
  return (
  with q as (
    select trim(p_query) as text,
           -- A LIKE pattern for "contains", with the caller's %, _ and \ taken literally.
           '%' || replace(replace(replace(trim(p_query), '\', '\\'), '%', '\%'), '_', '\_') || '%' as contains
  ), hits as (
    (select 'cell' as kind, c.code as id, c.name as label, c.code as detail, c.geom,
            case when c.code = q.text or c.name = q.text then 0 when c.code like q.text || '%' then 1 else 2 end as rank
     from cells c, q
     where q.text <> '' and c.valid_to is null and (c.code like replace(q.contains, '%', '') || '%' or c.name ilike q.contains)
     order by rank, c.code limit 8)
    union all
    (select a.level, a.code, a.name, a.code, a.geom, case when a.name = q.text or a.code = q.text then 0 else 1 end
     from admin_areas a, q
     where q.text <> '' and (a.name ilike q.contains or a.code = q.text)
     order by 6, a.code limit 6)
    union all
    (select e.kind, e.id::text, e.name, e.external_id, e.geom,
            case when e.external_id = q.text or e.name = q.text or e.attributes ->> 'credit_code' = q.text then 0 else 3 end
     from entities e, q
     where q.text <> '' and (e.name ilike q.contains or e.external_id = q.text or e.attributes ->> 'credit_code' = q.text)
     order by 6, e.name, e.external_id limit 12)
    union all
    (select 'event', v.id::text, v.category, v.external_id, v.geom, 0
     from events v, q
     where q.text <> '' and v.external_id = q.text
     limit 3)
  ), ranked as (
    select * from hits order by rank, kind, label limit greatest(1, least(coalesce(p_limit, 20), 100))
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'kind', r.kind, 'id', r.id, 'label', r.label, 'detail', r.detail,
           'lngLat', jsonb_build_array(round(ST_X(ST_PointOnSurface(r.geom))::numeric, 7), round(ST_Y(ST_PointOnSurface(r.geom))::numeric, 7)),
           'bbox', jsonb_build_array(round(ST_XMin(r.geom)::numeric, 7), round(ST_YMin(r.geom)::numeric, 7),
                                     round(ST_XMax(r.geom)::numeric, 7), round(ST_YMax(r.geom)::numeric, 7)))
         order by r.rank, r.kind, r.label), '[]'::jsonb)
  from ranked r
  );
end
$$;
