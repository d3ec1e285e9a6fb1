-- Purpose: every grid edit classes the cells it writes by the latest saved rule set inside its
--          own transaction (before, the browser did it in a second one). classify_by_rules is
--          the database's twin of src/domain/classify.ts (classifyCells, classReason) over the
--          inputs cell_class_inputs gathers, as the browser reads them; a test holds the two to
--          the same classes and scores. commit_cell_edit keeps its signature: the writing part is
--          renamed write_cell_edit and the new commit_cell_edit calls it, then reclassify_cells.
-- Tables: cells (class, class_reason), cell_class_changes (rows written by apply_cell_classes).
-- Destructive: nothing.

-- The A/B/C class of every current cell under p_rules (a rule set as saved), judged among all
-- cells, with the reason as classReason writes it. Events are counted p_rules.eventDays (90)
-- days back from p_end; the risk index is severity-weighted events plus hazard sites per km².
create function classify_by_rules(p_rules jsonb, p_version integer, p_end timestamptz default now())
returns table (code text, class text, score double precision, reason text)
language sql stable
set search_path = public, extensions
as $$
  with input as (
    select x ->> 'code' code,
           (x ->> 'eventsWeighted')::float8 events,
           (x ->> 'households')::float8 households,
           (x ->> 'keyPersons')::float8 key_persons,
           (x ->> 'hazardSites')::float8 hazard_sites,
           -- riskIndex(per: area, hazardWeight: 1): the parts, largest first, summed in that order.
           coalesce((select sum(p.v order by p.v desc) from (
              select (c.value::text)::float8 / greatest(1e-6, (x ->> 'areaKm2')::float8) v
                from jsonb_each(x -> 'eventsByCategory') c where (c.value::text)::float8 > 0
              union all
              select (x ->> 'hazardSites')::float8 / greatest(1e-6, (x ->> 'areaKm2')::float8)
                where (x ->> 'hazardSites')::float8 > 0) p), 0) risk_index
    from jsonb_array_elements(cell_class_inputs(p_end, coalesce((p_rules ->> 'eventDays')::integer, 90), null)) x
  ), long as (
    select i.code, k.ord, k.name, (p_rules -> 'weights' ->> k.name)::float8 weight,
           case k.name when 'events' then i.events when 'households' then i.households
                       when 'key_persons' then i.key_persons when 'hazard_sites' then i.hazard_sites
                       else i.risk_index end v
    from input i
    cross join (values (1, 'events'), (2, 'households'), (3, 'key_persons'), (4, 'hazard_sites'), (5, 'risk_index')) k (ord, name)
    where coalesce((p_rules -> 'weights' ->> k.name)::float8, 0) > 0
  ), scaled as (
    select l.*,
           case p_rules ->> 'normalize'
             -- The share of other cells below, ties sharing their mean rank.
             when 'rank' then case when count(*) over w <= 1 then 0
                              else ((2 * (rank() over wo - 1) + count(*) over wt - 1)::float8 / 2) / (count(*) over w - 1) end
             when 'max' then case when greatest(0, max(l.v) over w) > 0 then l.v / max(l.v) over w else 0 end
             else l.v end s
    from long l
    window w as (partition by l.name), wo as (partition by l.name order by l.v), wt as (partition by l.name, l.v)
  ), per_cell as (
    select l.code, sum(l.weight * l.s order by l.ord) total, jsonb_object_agg(l.name, l.v) inputs,
           jsonb_object_agg(l.name, floor(l.s * 1e6 + 0.5) / 1e6) scaled
    from scaled l group by l.code
  ), score as (
    -- The weighted sum in the inputs' order, rounded to 6 decimals as Math.round does.
    select i.code, floor(coalesce(p.total, 0) * 1e6 + 0.5) / 1e6 score,
           coalesce(p.inputs, '{}') inputs, coalesce(p.scaled, '{}') scaled
    from input i left join per_cell p on p.code = i.code
  ), taken as (
    -- By quantiles: how many cells the A share and the A + B share take.
    select floor((p_rules ->> 'A')::float8 * count(*) + 0.5)::integer n_a,
           floor(((p_rules ->> 'A')::float8 + (p_rules ->> 'B')::float8) * count(*) + 0.5)::integer n_b
    from score
  ), cutoff as (
    -- The score of the last cell taken (ties with it are taken too); nothing taken: above every score.
    select case when p_rules ->> 'method' <> 'quantiles' then (p_rules ->> 'A')::float8
                when t.n_a = 0 then 'Infinity'::float8
                else (select s.score from score s order by s.score desc offset greatest(0, t.n_a - 1) limit 1) end a,
           case when p_rules ->> 'method' <> 'quantiles' then (p_rules ->> 'B')::float8
                when t.n_b = 0 then 'Infinity'::float8
                else (select s.score from score s order by s.score desc offset greatest(0, t.n_b - 1) limit 1) end b
    from taken t
  )
  select s.code,
         case when s.score >= c.a then 'A' when s.score >= c.b then 'B' else 'C' end,
         s.score,
         jsonb_build_object(
           'rule', p_rules ->> 'name', 'version', p_version, 'method', p_rules ->> 'method',
           'normalize', p_rules ->> 'normalize', 'weights', p_rules -> 'weights',
           'inputs', s.inputs, 'scaled', s.scaled,
           'score', s.score,
           'cutoffs', jsonb_build_object('A', case when c.a = 'Infinity' then null else c.a end,
                                         'B', case when c.b = 'Infinity' then null else c.b end))::text
  from score s cross join cutoff c
$$;

-- Classes the given current cells by the latest saved rule set (judged among all cells, as a
-- full run would) and writes them as a run of it; manual classes are kept. Returns
-- {ruleSet: {id, name, version}, changed, unchanged, keptManual, missing}, or null when no rule
-- set was ever saved. Administrators only; it reads every cell's inputs as the owner (an
-- administrator sees every row anyway, and row security per row made an edit seconds slower).
create function reclassify_cells(p_codes text[]) returns jsonb
language plpgsql
security definer
set search_path = public, extensions
as $$
declare
  latest class_rule_sets;
  applied jsonb;
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may apply rule sets';
  end if;
  select * into latest from class_rule_sets r order by r.created_at desc, r.id desc limit 1;
  if latest.id is null or coalesce(array_length(p_codes, 1), 0) = 0 then
    return null;
  end if;
  applied := apply_cell_classes(latest.id, (
    select coalesce(jsonb_agg(jsonb_build_object('code', k.code, 'class', k.class, 'reason', k.reason) order by k.code), '[]')
    from classify_by_rules(latest.rules, latest.version) k where k.code = any(p_codes)));
  return applied || jsonb_build_object('ruleSet', jsonb_build_object('id', latest.id, 'name', latest.name, 'version', latest.version));
end
$$;

-- Every edit (split, merge, hand-over, move, reshape, draw, import, undo) commits through
-- commit_cell_edit: it now writes the edit, then classes the cells it wrote, in one transaction.
alter function commit_cell_edit(text, text, cells[], jsonb, boolean, bigint) rename to write_cell_edit;

create function commit_cell_edit(
  p_operation text, p_reason text, p_before cells[], p_after jsonb, p_allow_multipart boolean default false,
  p_reverts bigint default null
) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  result jsonb;
begin
  result := write_cell_edit(p_operation, p_reason, p_before, p_after, p_allow_multipart, p_reverts);
  return result || jsonb_build_object('reclassified',
    reclassify_cells(array(select c ->> 'code' from jsonb_array_elements(
      case jsonb_typeof(result -> 'cells') when 'array' then result -> 'cells' else '[]' end) c)));
end
$$;

revoke all on function classify_by_rules(jsonb, integer, timestamptz), reclassify_cells(text[]) from public;
grant execute on function classify_by_rules(jsonb, integer, timestamptz), reclassify_cells(text[]) to authenticated, service_role;
