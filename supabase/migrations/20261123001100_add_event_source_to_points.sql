-- Purpose: the event columns the map loads also carry each event's source (grid worker, camera,
--          citizen, hotline, sensor, department), so that heatmaps can filter by it.
-- Tables: none (replaces the function points_columns).
-- Destructive: nothing.

create or replace function points_columns(p_kind text) returns jsonb
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
      'source', coalesce(jsonb_agg(source order by occurred_at), '[]'::jsonb),
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
