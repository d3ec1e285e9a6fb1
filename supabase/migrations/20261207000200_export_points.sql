-- Purpose: exports of every point layer by role (issue 25). Events, cases, places, things,
--          organisations and people leave the product as the caller may read them, decided in the
--          database: row level security chooses the rows (a grid worker's own cells, a
--          department's cases); people are exported to admins and the cell's grid worker with
--          their names, to the command centre with names masked, and never to planners (they
--          export people as counts per cell). Personal fields (ID card, phone, address) are never
--          exported: they are read one person at a time, each view logged.
--   Rows come in pages by key (id > after, ordered by id), so that 10⁶ rows stream.
-- Tables: none.
-- Functions: export_people_masked (new, SECURITY DEFINER, rows for the command centre only),
--            export_point_rows (new: the rows), export_points (new: a page as JSON).
-- Destructive: none.

-- People as the command centre exports them: where they are and how much attention they need,
-- never who (names masked, no birth year or gender).
create function export_people_masked(p_cell text, p_community text, p_category text, p_after text, p_limit integer)
returns table (id text, lon double precision, lat double precision, props jsonb)
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select e.external_id, ST_X(e.geom), ST_Y(e.geom),
         jsonb_build_object('name', mask_name(e.name), 'category', e.category, 'risk_level', e.risk_level,
                            'key_person', coalesce((e.attributes ->> 'key_person')::boolean, e.risk_level >= 2),
                            'cell_code', e.cell_code, 'community', e.community_code)
  from entities e
  where e.kind = 'person' and app_role() = 'command'
    and (p_cell is null or e.cell_code = p_cell) and (p_community is null or e.community_code = p_community)
    and (p_category is null or e.category = p_category) and e.external_id > coalesce(p_after, '')
  order by e.external_id
  limit p_limit
$$;
comment on function export_people_masked(text, text, text, text, integer) is
  'People as the command centre exports them (called by export_point_rows): position, category, risk level, key person, cell; names masked; nothing for any other role.';
-- Executed by members through export_point_rows (an invoker function); it gives rows only to the command centre.
revoke all on function export_people_masked(text, text, text, text, integer) from public, anon;
grant execute on function export_people_masked(text, text, text, text, integer) to authenticated, service_role;

create function export_point_rows(p_kind text, p_filter jsonb default '{}', p_after text default null, p_limit integer default 10000)
returns table (id text, lon double precision, lat double precision, props jsonb)
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_role text := app_role();
  v_cell text := nullif(p_filter ->> 'cellCode', '');
  v_community text := nullif(p_filter ->> 'communityCode', '');
  v_category text := nullif(p_filter ->> 'category', '');
  v_from timestamptz := nullif(p_filter ->> 'from', '')::timestamptz;
  v_to timestamptz := nullif(p_filter ->> 'to', '')::timestamptz;
  v_limit integer := least(greatest(coalesce(p_limit, 10000), 1), 50000);
  v_after text := coalesce(p_after, '');
begin
  if v_role is null or v_role not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members export';
  end if;
  if p_filter is not null and jsonb_typeof(p_filter) <> 'object' then
    raise exception using errcode = '22023', message = 'the filter is an object: {cellCode, communityCode, category, from, to}';
  end if;
  if p_kind = 'event' then
    -- Row level security decides which events (a grid worker: their own cells).
    return query
      select v.external_id, ST_X(v.geom), ST_Y(v.geom),
             jsonb_build_object('category', v.category, 'severity', v.severity, 'source', v.source,
                                'occurred_at', v.occurred_at, 'status', v.status, 'cell_code', v.cell_code,
                                'community', v.community_code, 'description', v.description)
      from events v
      where (v_cell is null or v.cell_code = v_cell) and (v_community is null or v.community_code = v_community)
        and (v_category is null or v.category = v_category)
        and (v_from is null or v.occurred_at >= v_from) and (v_to is null or v.occurred_at < v_to)
        and v.external_id > v_after
      order by v.external_id
      limit v_limit;
  elsif p_kind = 'case' then
    return query
      select k.code, ST_X(k.geom), ST_Y(k.geom),
             jsonb_build_object('category', k.category, 'severity', k.severity, 'source', k.source, 'state', k.state,
                                'reported_at', k.reported_at, 'deadline_at', k.deadline_at, 'department', k.department_id,
                                'cell_code', k.cell_code, 'community', k.community_code, 'description', k.description)
      from cases k
      where (v_cell is null or k.cell_code = v_cell) and (v_community is null or k.community_code = v_community)
        and (v_category is null or k.category = v_category)
        and (v_from is null or k.reported_at >= v_from) and (v_to is null or k.reported_at < v_to)
        and k.code > v_after
      order by k.code
      limit v_limit;
  elsif p_kind in ('place', 'thing', 'organisation') then
    return query
      select e.external_id, ST_X(e.geom), ST_Y(e.geom),
             jsonb_build_object('name', e.name, 'category', e.category, 'risk_level', e.risk_level,
                                'address', coalesce(e.attributes ->> 'address', ''), 'cell_code', e.cell_code, 'community', e.community_code)
      from entities e
      where e.kind = p_kind
        and (v_cell is null or e.cell_code = v_cell) and (v_community is null or e.community_code = v_community)
        and (v_category is null or e.category = v_category) and e.external_id > v_after
      order by e.external_id
      limit v_limit;
  elsif p_kind = 'person' then
    if v_role in ('planner', 'department') then
      raise exception using errcode = '42501', message = 'people are exported as counts per cell (export the cells) to this role';
    end if;
    if v_role = 'command' then
      return query select * from export_people_masked(v_cell, v_community, v_category, v_after, v_limit);
      return;
    end if;
    -- Admins and grid workers: the people row level security lets them read (a worker: their own cells).
    return query
      select e.external_id, ST_X(e.geom), ST_Y(e.geom),
             jsonb_build_object('name', e.name, 'category', e.category, 'gender', coalesce(e.attributes ->> 'gender', ''),
                                'birth_year', (e.attributes ->> 'birth_year')::integer, 'risk_level', e.risk_level,
                                'key_person', coalesce((e.attributes ->> 'key_person')::boolean, e.risk_level >= 2),
                                'household', coalesce(e.attributes ->> 'household_id', ''),
                                'cell_code', e.cell_code, 'community', e.community_code)
      from entities e
      where e.kind = 'person'
        and (v_cell is null or e.cell_code = v_cell) and (v_community is null or e.community_code = v_community)
        and (v_category is null or e.category = v_category) and e.external_id > v_after
      order by e.external_id
      limit v_limit;
  else
    raise exception using errcode = '22023', message = format('no point layer %s: event, case, person, place, thing or organisation', coalesce(p_kind, ''));
  end if;
end
$$;
comment on function export_point_rows(text, jsonb, text, integer) is
  'One page (p_limit rows, at most 50,000, after the id p_after in id order) of a point layer as the caller may export it: id, WGS-84 position and the layer''s columns. Filters: cellCode, communityCode, category, from and to (events by occurrence, cases by report). Row level security chooses the rows; people: in full to admins and their cells'' grid worker, masked to the command centre, refused to planners and departments; personal fields never.';
revoke all on function export_point_rows(text, jsonb, text, integer) from public, anon;
grant execute on function export_point_rows(text, jsonb, text, integer) to authenticated, service_role;

-- The page as the app's API gives it (one JSON value, as every function the app calls).
create function export_points(p_kind text, p_filter jsonb default '{}', p_after text default null, p_limit integer default 10000)
returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'lon', r.lon, 'lat', r.lat, 'props', r.props) order by r.id), '[]'::jsonb)
  from export_point_rows(p_kind, p_filter, p_after, p_limit) r
$$;
comment on function export_points(text, jsonb, text, integer) is
  'export_point_rows as one JSON array of {id, lon, lat, props}: one page of a point layer as the caller may export it.';
revoke all on function export_points(text, jsonb, text, integer) from public, anon;
grant execute on function export_points(text, jsonb, text, integer) to authenticated, service_role;
