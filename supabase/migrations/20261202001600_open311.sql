-- Purpose: cases through Open311 GeoReport v2 (issue 23), so that hotline and city systems can
--          connect: `services`, `requests` (GET and POST) and `requests/{id}` as SQL functions
--          answering in GeoReport v2's JSON shapes (in supabase mode reached through PostgREST's
--          /rpc/, in the embedded mode through the same Backend seam). A service is a case
--          category (its code is the category's name); a request is a case (its id is the case's
--          code). Our stages map onto open/closed: closed, evaluated and rejected are closed,
--          every other state open; the stage itself is in status_notes. Row level security
--          applies: a caller reads the requests (cases) they may read, and posts as report_case
--          allows (administrators and the command centre anywhere, grid workers in their cells).
-- Tables: none.
-- Functions: open311_services, open311_requests, open311_request, open311_post_request (new).
-- Destructive: none.

create function open311_services() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'service_code', s.category, 'service_name', s.category, 'description', '',
    'metadata', false, 'type', 'realtime', 'keywords', '',
    'group', coalesce((select d.name from departments d where d.id = (propose_department(s.category, null) ->> 'departmentId')), ''))
    order by s.category), '[]')
  from (select category from case_routes where category <> '*' union select category from case_time_limits where category <> '*'
        union select distinct category from cases) s
$$;
comment on function open311_services() is
  'GeoReport v2 GET services: one service per case category (service_code = the category), grouped by the department the routing rules send it to.';
revoke all on function open311_services() from public, anon;
grant execute on function open311_services() to authenticated, service_role;

create function open311_request_json(c cases) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'service_request_id', c.code,
    'status', case when c.state in ('closed', 'evaluated', 'rejected') then 'closed' else 'open' end,
    'status_notes', c.state,
    'service_name', c.category,
    'service_code', c.category,
    'description', c.description,
    'agency_responsible', coalesce((select d.name from departments d where d.id = c.department_id), ''),
    'service_notice', '',
    'requested_datetime', to_char(c.reported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'updated_datetime', to_char(c.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'expected_datetime', case when c.deadline_at is not null and c.state not in ('closed', 'evaluated', 'rejected')
                              then to_char(c.deadline_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end,
    'address', '',
    'zipcode', '',
    'lat', ST_Y(c.geom),
    'long', ST_X(c.geom),
    'media_url', '')
$$;
comment on function open311_request_json(cases) is 'A case as a GeoReport v2 request (id: the case code; status open/closed; status_notes: our stage).';
revoke all on function open311_request_json(cases) from public, anon;
grant execute on function open311_request_json(cases) to authenticated, service_role;

create function open311_requests(p_query jsonb default '{}') returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  q jsonb := coalesce(p_query, '{}');
  ids text[] := case when q ? 'service_request_id' then string_to_array(replace(q ->> 'service_request_id', ' ', ''), ',') end;
  codes text[] := case when q ? 'service_code' then string_to_array(q ->> 'service_code', ',') end;
  statuses text[] := case when q ? 'status' then string_to_array(replace(q ->> 'status', ' ', ''), ',') end;
  start_at timestamptz := coalesce((q ->> 'start_date')::timestamptz, case when ids is null then now() - interval '90 days' end);
  end_at timestamptz := (q ->> 'end_date')::timestamptz;
begin
  if statuses is not null and not statuses <@ array['open', 'closed'] then
    raise exception using errcode = '22023', message = format('status is open or closed, not %s', q ->> 'status');
  end if;
  return (
    select coalesce(jsonb_agg(open311_request_json(c) order by c.reported_at desc, c.code), '[]')
    from (
      select c.* from cases c
      where (ids is null or c.code = any (ids))
        and (codes is null or c.category = any (codes))
        and (statuses is null or (case when c.state in ('closed', 'evaluated', 'rejected') then 'closed' else 'open' end) = any (statuses))
        and (start_at is null or c.reported_at >= start_at)
        and (end_at is null or c.reported_at < end_at)
      order by c.reported_at desc, c.code
      limit 1000
    ) c);
end
$$;
comment on function open311_requests(jsonb) is
  'GeoReport v2 GET requests: the cases the caller may read, filtered by {service_request_id (comma list), service_code, start_date, end_date, status (open, closed)}; without ids, the last 90 days by default; 1,000 at most, newest first.';
revoke all on function open311_requests(jsonb) from public, anon;
grant execute on function open311_requests(jsonb) to authenticated, service_role;

create function open311_request(p_id text) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(open311_request_json(c)), '[]') from cases c where c.code = p_id
$$;
comment on function open311_request(text) is 'GeoReport v2 GET requests/{id}: the case with that code as a one-element array (empty when the caller may not read it).';
revoke all on function open311_request(text) from public, anon;
grant execute on function open311_request(text) to authenticated, service_role;

create function open311_post_request(p_service_code text, p_lat double precision, p_long double precision, p_description text default '')
returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  reported jsonb;
begin
  if p_service_code is null or btrim(p_service_code) = '' then
    raise exception using errcode = '22023', message = 'service_code is required';
  end if;
  if p_lat is null or p_long is null then
    raise exception using errcode = '22023', message = 'a request needs a location (lat and long)';
  end if;
  -- A connected city system reports as the hotline does; report_case decides who may.
  reported := report_case('hotline', p_service_code, 2, coalesce(p_description, ''), p_long, p_lat);
  return jsonb_build_array(jsonb_build_object('service_request_id', reported ->> 'code', 'service_notice', '', 'account_id', null));
end
$$;
comment on function open311_post_request(text, double precision, double precision, text) is
  'GeoReport v2 POST requests: reports a case of the service (category) at lat/long from the hotline source, through report_case; returns [{service_request_id, service_notice, account_id}].';
revoke all on function open311_post_request(text, double precision, double precision, text) from public, anon;
grant execute on function open311_post_request(text, double precision, double precision, text) to authenticated, service_role;
