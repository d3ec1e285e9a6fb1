-- Purpose: two migrations were edited after they had landed (20261201000100_create_draw_cell:
--          draw_cell's snap tolerance; 20261201000700_rule_set_risk: halfLifeDays in
--          classify_by_rules and save_rule_set). A database that recorded them before the edits
--          (a browser's IndexedDB copy, a Supabase project) never received them: this restates the
--          three functions as those files now define them. On a database that has them already it
--          changes nothing. Landed migrations are never edited again (tests/db/migrations.test.ts
--          checks their checksums in supabase/migrations.lock).
-- Functions: draw_cell, classify_by_rules, save_rule_set (replaced by their current definitions).
-- Destructive: none.

-- p_shape: the drawn Polygon (GeoJSON, WGS-84). p_cells: [{code, version}] of every current cell
-- of the community the shape lies on, as the editor saw them; a cell it lies on that is not named
-- (or named at another version) is a conflict, so an edit never works from a stale picture.
create or replace function draw_cell(p_community_code text, p_shape jsonb, p_cells jsonb, p_reason text,
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

-- The A/B/C class of every current cell under p_rules (a rule set as saved), judged among all
-- cells, with the reason as classReason writes it. Events are counted p_rules.eventDays (90)
-- days back from p_end, halved every p_rules.halfLifeDays days (none when absent); the risk index
-- as p_rules.risk says (default per km², hazard weight 1).
create or replace function classify_by_rules(p_rules jsonb, p_version integer, p_end timestamptz default now())
returns table (code text, class text, score double precision, reason text)
language sql stable
set search_path = public, extensions
as $$
  with risk as (
    select coalesce(p_rules -> 'risk' ->> 'per', 'area') per,
           coalesce((p_rules -> 'risk' ->> 'hazardWeight')::float8, 1) hazard_weight
  ), input as (
    select x ->> 'code' code,
           (x ->> 'eventsWeighted')::float8 events,
           (x ->> 'households')::float8 households,
           (x ->> 'keyPersons')::float8 key_persons,
           (x ->> 'hazardSites')::float8 hazard_sites,
           -- riskIndex(ruleSetRisk(p_rules)): the parts, largest first, summed in that order.
           coalesce((select sum(p.v order by p.v desc) from (
              select (c.value::text)::float8 / d.denominator v
                from jsonb_each(x -> 'eventsByCategory') c where (c.value::text)::float8 > 0
              union all
              select (x ->> 'hazardSites')::float8 * r.hazard_weight / d.denominator
                where (x ->> 'hazardSites')::float8 > 0) p), 0) risk_index
    from jsonb_array_elements(cell_class_inputs(p_end, coalesce((p_rules ->> 'eventDays')::integer, 90),
                                                (p_rules ->> 'halfLifeDays')::float8)) x
    cross join risk r
    -- Per 1,000 residents (a cell without residents counts as 1) or per km².
    cross join lateral (select case r.per when 'residents' then greatest(1, (x ->> 'residents')::float8) / 1000
                                          else greatest(1e-6, (x ->> 'areaKm2')::float8) end denominator) d
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
         (jsonb_build_object(
           'rule', p_rules ->> 'name', 'version', p_version, 'method', p_rules ->> 'method',
           'normalize', p_rules ->> 'normalize', 'weights', p_rules -> 'weights',
           'inputs', s.inputs, 'scaled', s.scaled,
           'score', s.score,
           'cutoffs', jsonb_build_object('A', case when c.a = 'Infinity' then null else c.a end,
                                         'B', case when c.b = 'Infinity' then null else c.b end))
         -- How the risk index was made, where the rules weigh it.
         || case when coalesce((p_rules -> 'weights' ->> 'risk_index')::float8, 0) > 0
                 then jsonb_build_object('risk', jsonb_build_object('per', r.per, 'hazardWeight', r.hazard_weight))
                 else '{}'::jsonb end
         -- Events halved every halfLifeDays days, where the rules say so.
         || case when p_rules ->> 'halfLifeDays' is not null
                 then jsonb_build_object('halfLifeDays', (p_rules ->> 'halfLifeDays')::float8)
                 else '{}'::jsonb end)::text
  from score s cross join cutoff c cross join risk r
$$;

-- Saves a rule set as the next version of its name; returns {id, name, version}. The shape is
-- checked here too (the app checks it fully before sending).
create or replace function save_rule_set(p_rules jsonb) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  rule_name text := btrim(coalesce(p_rules ->> 'name', ''));
  next_version integer;
  new_id bigint;
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may save rule sets';
  end if;
  if rule_name = '' then
    raise exception using errcode = '22023', message = 'the rule set needs a name';
  end if;
  if jsonb_typeof(p_rules -> 'weights') is distinct from 'object' or p_rules -> 'weights' = '{}'::jsonb then
    raise exception using errcode = '22023', message = 'the rule set must weigh at least one input';
  end if;
  if coalesce(p_rules ->> 'method', '') not in ('thresholds', 'quantiles')
     or coalesce(p_rules ->> 'normalize', '') not in ('rank', 'max', 'none')
     or jsonb_typeof(p_rules -> 'A') is distinct from 'number' or jsonb_typeof(p_rules -> 'B') is distinct from 'number' then
    raise exception using errcode = '22023',
      message = 'the rule set needs "method" (thresholds or quantiles), "normalize" (rank, max or none) and numbers "A" and "B"';
  end if;
  if p_rules ? 'risk' and (
       jsonb_typeof(p_rules -> 'risk') is distinct from 'object'
       or coalesce(p_rules -> 'risk' ->> 'per', '') not in ('area', 'residents')
       or case when jsonb_typeof(p_rules -> 'risk' -> 'hazardWeight') = 'number'
               then (p_rules -> 'risk' ->> 'hazardWeight')::float8 < 0 else true end) then
    raise exception using errcode = '22023',
      message = 'the rule set''s "risk" needs "per" (area or residents) and a number "hazardWeight" ≥ 0';
  end if;
  if jsonb_typeof(p_rules -> 'halfLifeDays') <> 'null'
     and (case when jsonb_typeof(p_rules -> 'halfLifeDays') = 'number' then (p_rules ->> 'halfLifeDays')::float8 <= 0
               else true end) then
    raise exception using errcode = '22023',
      message = 'the rule set''s "halfLifeDays" must be a number of days > 0, or null for no decay';
  end if;
  perform pg_advisory_xact_lock(hashtext('class_rule_sets:' || rule_name));
  select coalesce(max(version), 0) + 1 into next_version from class_rule_sets where name = rule_name;
  insert into class_rule_sets (name, version, rules, created_by)
    values (rule_name, next_version, p_rules || jsonb_build_object('name', rule_name), auth.uid())
    returning id into new_id;
  return jsonb_build_object('id', new_id, 'name', rule_name, 'version', next_version);
end
$$;
