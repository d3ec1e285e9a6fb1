-- Purpose: one search box for the map: cells by code or name, streets and communities by name,
--          entities (people, places, things, organisations) by name, id or credit code, events by
--          id. It runs as the caller, so row level security decides what each role finds (a grid
--          worker finds only what lies in their own cells).
-- Functions: search_map (new).
-- Destructive: none.

-- Returns up to p_limit hits, best first: [{kind, id, label, detail, lngLat, bbox}] where kind is
-- cell, district, street, community, person, place, thing, organisation or event; id is the cell
-- or area code, or the entity's or event's id; lngLat a point on it (WGS-84); bbox its box.
create function search_map(p_query text, p_limit integer default 20) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
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
$$;

revoke all on function search_map(text, integer) from public, anon;
grant execute on function search_map(text, integer) to authenticated, service_role;
