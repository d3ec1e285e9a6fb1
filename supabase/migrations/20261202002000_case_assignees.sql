-- Purpose: who has a case in hand (经办人, issue 23), and dispatching from the list. A case's
--          assignee is the department officer who signed for it (the latest 'start' step: 签收
--          处置) while it is in progress or later; before that it is with the command centre and
--          the department it is dispatched to, as the list already says.
--   * list_cases gains two filters, `assignee` (a member's id: the cases that member signed for)
--     and `mine` (the cases the caller reported or took any step on), and each row says its
--     assignee, version and proposed department (so that the list can dispatch, each case
--     against the version it showed).
--   * case_assignees names the members who signed for the cases the caller may read (from the
--     trace, which the caller may read: no members' data beyond the names the trace shows).
-- Functions: list_cases (replaced: same arguments, more filters and fields), case_assignees (new).
-- Destructive: none.

create index case_trace_start_idx on case_trace (case_id, id desc) where action = 'start';

create or replace function list_cases(p_filter jsonb default '{}', p_limit integer default 100, p_offset integer default 0) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  f jsonb := coalesce(p_filter, '{}');
  states text[] := case when jsonb_typeof(f -> 'states') = 'array' then array(select jsonb_array_elements_text(f -> 'states')) end;
  open_states constant text[] := '{reported,registered,escalated,dispatched,in_progress,answered}';
  assignee uuid;
  result jsonb;
begin
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception using errcode = '22023', message = format('p_limit must be 1 to 1000, not %s', p_limit);
  end if;
  if f ->> 'assignee' is not null then
    if f ->> 'assignee' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      raise exception using errcode = '22023', message = format('assignee "%s" is not a member''s id', f ->> 'assignee');
    end if;
    assignee := (f ->> 'assignee')::uuid;
  end if;
  with picked as (
    select c.*, (c.state = any (open_states) and c.deadline_at < now()) as overdue
    from cases c
    where (states is null or c.state = any (states))
      and (not coalesce((f ->> 'overdue')::boolean, false) or (c.state = any (open_states) and c.deadline_at < now()))
      and (f ->> 'category' is null or c.category = f ->> 'category')
      and (f ->> 'source' is null or c.source = f ->> 'source')
      and (f ->> 'severity' is null or c.severity = (f ->> 'severity')::smallint)
      and (f ->> 'cellCode' is null or c.cell_code = f ->> 'cellCode')
      and (f ->> 'areaCode' is null or c.community_code like (f ->> 'areaCode') || '%')
      and (f ->> 'departmentId' is null or c.department_id = f ->> 'departmentId')
      and (f ->> 'from' is null or c.reported_at >= (f ->> 'from')::timestamptz)
      and (f ->> 'to' is null or c.reported_at < (f ->> 'to')::timestamptz)
      and (f ->> 'text' is null or c.code ilike '%' || (f ->> 'text') || '%' or c.description ilike '%' || (f ->> 'text') || '%')
      and (assignee is null or (c.state in ('in_progress', 'answered', 'closed', 'evaluated')
           and (select t.actor from case_trace t where t.case_id = c.id and t.action = 'start' order by t.id desc limit 1) = assignee))
      and (not coalesce((f ->> 'mine')::boolean, false)
           or c.reported_by = auth.uid() or exists (select 1 from case_trace t where t.case_id = c.id and t.actor = auth.uid()))
  ), page as (
    select p.*, row_number() over (order by
      case when coalesce(f ->> 'sort', 'deadline') = 'deadline' then (p.state = any (open_states)) end desc nulls last,
      case when coalesce(f ->> 'sort', 'deadline') = 'deadline' then p.deadline_at end asc nulls last,
      p.reported_at desc, p.code) as ord
    from picked p
    order by ord
    limit p_limit offset greatest(coalesce(p_offset, 0), 0)
  )
  select jsonb_build_object(
    'total', (select count(*) from picked),
    'overdue', (select count(*) from picked where overdue),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
      'id', p.id, 'code', p.code, 'state', p.state, 'category', p.category, 'severity', p.severity, 'source', p.source,
      'cellCode', p.cell_code, 'communityCode', p.community_code, 'departmentId', p.department_id,
      'departmentName', (select d.name from departments d where d.id = p.department_id),
      'proposedDepartmentId', p.proposed_department_id, 'version', p.version,
      'assigneeName', case when p.state in ('in_progress', 'answered', 'closed', 'evaluated') then
        (select t.actor_name from case_trace t where t.case_id = p.id and t.action = 'start' order by t.id desc limit 1) end,
      'description', left(p.description, 200), 'reportedAt', p.reported_at, 'updatedAt', p.updated_at,
      'deadlineAt', p.deadline_at, 'overdue', p.overdue, 'lngLat', jsonb_build_array(ST_X(p.geom), ST_Y(p.geom)))
      order by p.ord) from page p), '[]'))
  into result;
  return result;
end
$$;
comment on function list_cases(jsonb, integer, integer) is
  'A page of the cases the caller may read (RLS), filtered by p_filter {states, overdue, category, source, severity, cellCode, areaCode, departmentId, from, to, text, assignee (who signed for it), mine (reported or handled by the caller), sort}: {total, overdue, rows} with each row''s assignee, version and proposed department; overdue decided against now().';

create function case_assignees() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('userId', a.actor, 'name', a.name) order by a.name, a.actor), '[]')
  from (select t.actor, max(t.actor_name) as name from case_trace t where t.action = 'start' group by t.actor) a
$$;
comment on function case_assignees() is
  'The members who signed for (签收) cases the caller may read, by name from the trace: [{userId, name}], for the assignee filter.';
revoke all on function case_assignees() from public, anon;
grant execute on function case_assignees() to authenticated, service_role;
