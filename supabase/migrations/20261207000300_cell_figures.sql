-- Purpose: the cells' figures for a period (issue 25): one row per current cell the caller may
--          see, with what planners compare cells by and what the zone reports, the comparison
--          table and the cells' exports carry: class, people (counts only, through
--          person_counts), places, things and organisations, events and cases of the period,
--          cases open and overdue now, cases closed in the period and their median handling
--          time, the risk index and the latest patrol. Rows, events and cases are what the
--          caller may read (row level security): a grid worker's figures are their own cells'.
-- Tables: none.
-- Functions: cell_figures (new).
-- Destructive: none.
create function cell_figures(p_from timestamptz, p_to timestamptz) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_open constant text[] := '{reported,registered,escalated,dispatched,in_progress,answered}';
begin
  if app_role() not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members read the cells'' figures';
  end if;
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = '22023', message = format('a period runs from its start to a later end, got %s to %s', p_from, p_to);
  end if;
  return (
    with cs as (
      select c.code, c.name, c.class, c.community_code, a.name community_name, s.name street_name, c.households,
             ST_Area(c.geom::geography) area
      from cells c
      left join admin_areas a on a.code = c.community_code
      left join admin_areas s on s.code = a.parent_code
      where c.valid_to is null
    ), kinds as (
      select e.cell_code, count(*) filter (where e.kind = 'place') places, count(*) filter (where e.kind = 'thing') things,
             count(*) filter (where e.kind = 'organisation') organisations
      from entities e where e.kind <> 'person' and e.cell_code is not null group by e.cell_code
    ), ev as (
      select v.cell_code, count(*) n from events v
      where v.occurred_at >= p_from and v.occurred_at < p_to and v.cell_code is not null group by v.cell_code
    ), closings as (
      select t.case_id, min(t.at) closed_at from case_trace t where t.to_state = 'closed' group by t.case_id
    ), ca as (
      select o.cell_code,
             count(*) filter (where o.reported_at >= p_from and o.reported_at < p_to) reported,
             count(*) filter (where o.state = any (v_open)) open_now,
             count(*) filter (where o.state = any (v_open) and o.deadline_at < now()) overdue_now,
             count(*) filter (where k.closed_at >= p_from and k.closed_at < p_to) closed,
             percentile_cont(0.5) within group (order by extract(epoch from k.closed_at - o.reported_at) / 3600)
               filter (where k.closed_at >= p_from and k.closed_at < p_to) median_hours
      from cases o left join closings k on k.case_id = o.id
      where o.cell_code is not null group by o.cell_code
    ), patrolled as (
      select p.cell_code, max(p.started_at) last_at from patrols p group by p.cell_code
    )
    select coalesce(jsonb_agg(jsonb_build_object(
             'code', c.code, 'name', c.name, 'class', c.class, 'communityCode', c.community_code,
             'communityName', c.community_name, 'streetName', c.street_name, 'households', c.households,
             'areaSquareMeters', round(c.area::numeric, 1),
             'people', coalesce(pc.residents, 0), 'keyPersons', coalesce(pc.key_persons, 0),
             'places', coalesce(k.places, 0), 'things', coalesce(k.things, 0), 'organisations', coalesce(k.organisations, 0),
             'events', coalesce(ev.n, 0), 'casesReported', coalesce(ca.reported, 0), 'casesOpen', coalesce(ca.open_now, 0),
             'casesOverdue', coalesce(ca.overdue_now, 0), 'casesClosed', coalesce(ca.closed, 0),
             'medianHandlingHours', round(ca.median_hours::numeric, 1),
             'riskIndex', round(coalesce(r.risk_index, 0)::numeric, 2), 'lastPatrolAt', pt.last_at)
             order by c.code), '[]'::jsonb)
    from cs c
    left join person_counts() pc on pc.cell_code = c.code
    left join kinds k on k.cell_code = c.code
    left join ev on ev.cell_code = c.code
    left join ca on ca.cell_code = c.code
    left join cell_risk_indexes() r on r.code = c.code
    left join patrolled pt on pt.cell_code = c.code
  );
end
$$;
comment on function cell_figures(timestamptz, timestamptz) is
  'Per current cell the caller may see (RLS), ordered by code, the figures of the period [p_from, p_to): code, name, class, communityCode, communityName, streetName, households, areaSquareMeters; people and keyPersons (person_counts: counts only); places, things, organisations; events (by occurrence in the period); casesReported (reported in the period), casesOpen and casesOverdue (now), casesClosed (first closed in the period) and medianHandlingHours (report to closing, of those; null without any); riskIndex (cell_risk_indexes, now) and lastPatrolAt. Events, cases and patrols are those the caller may read (RLS). Refused to non-members (42501) and for an empty or reversed period (22023).';
revoke all on function cell_figures(timestamptz, timestamptz) from public, anon;
grant execute on function cell_figures(timestamptz, timestamptz) to authenticated, service_role;
