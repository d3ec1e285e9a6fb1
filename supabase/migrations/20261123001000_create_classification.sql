-- Purpose: A/B/C classification of cells by versioned rule sets, manual overrides with a reason,
--          the history of every class change, the per-cell inputs rules weigh (events, workload,
--          standing hazards), and the risk × responsibility matrix of event categories.
--          Rules are evaluated by the app (src/domain/classify.ts, the same code as the CLI); the
--          database stores rule sets, hands out the inputs, and writes the classes it is given as
--          one transaction, never touching a manual class.
-- Tables: class_rule_sets, cell_class_changes, risk_matrix (new); cells (class columns written).
-- Destructive: nothing.

create table class_rule_sets (
  id bigint generated always as identity primary key,
  name text not null check (length(btrim(name)) > 0),
  version integer not null check (version >= 1),
  rules jsonb not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  unique (name, version)
);
comment on table class_rule_sets is 'A/B/C rule sets; saving a rule set under an existing name adds a version, never overwrites one.';

create table cell_class_changes (
  id bigint generated always as identity primary key,
  cell_code text not null,
  from_class text check (from_class in ('A', 'B', 'C')),
  to_class text not null check (to_class in ('A', 'B', 'C')),
  source text not null check (source in ('rule', 'manual', 'override_cleared')),
  reason text not null,
  rule_set_id bigint references class_rule_sets (id),
  changed_by uuid,
  changed_at timestamptz not null default now()
);
create index cell_class_changes_code_idx on cell_class_changes (cell_code, changed_at desc);
comment on table cell_class_changes is 'Every change of a cell''s class: by a rule set run, a manual override, or clearing one.';

-- The source paper's four quadrants: how risky an event category is, and how much of it falls
-- to grid governance (responsibility). Edited by administrators.
create table risk_matrix (
  category text primary key check (length(btrim(category)) > 0),
  risk text not null check (risk in ('high', 'low')),
  responsibility text not null check (responsibility in ('high', 'low')),
  note text not null default '',
  updated_by uuid,
  updated_at timestamptz not null default now()
);
comment on table risk_matrix is 'Risk × responsibility quadrant of each event category.';

alter table class_rule_sets enable row level security;
alter table cell_class_changes enable row level security;
alter table risk_matrix enable row level security;
grant select, insert on class_rule_sets to authenticated, service_role;
grant select, insert on cell_class_changes to authenticated, service_role;
grant select, insert, update, delete on risk_matrix to authenticated, service_role;
create policy "staff read rule sets" on class_rule_sets
  for select to authenticated using (app_role() in ('admin', 'command', 'planner'));
create policy "admins write rule sets" on class_rule_sets
  for insert to authenticated with check (app_role() = 'admin');
create policy "staff read class changes" on cell_class_changes
  for select to authenticated using (app_role() in ('admin', 'command', 'planner'));
create policy "workers read class changes of their cells" on cell_class_changes
  for select to authenticated using (app_role() = 'worker' and is_own_cell(cell_code));
create policy "admins write class changes" on cell_class_changes
  for insert to authenticated with check (app_role() = 'admin');
create policy "everyone signed in reads the matrix" on risk_matrix
  for select to authenticated using (app_role() in ('admin', 'command', 'worker', 'planner'));
create policy "admins edit the matrix" on risk_matrix
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');

-- Saves a rule set as the next version of its name; returns {id, name, version}. The shape is
-- checked here too (the app checks it fully before sending).
create function save_rule_set(p_rules jsonb) returns jsonb
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
  perform pg_advisory_xact_lock(hashtext('class_rule_sets:' || rule_name));
  select coalesce(max(version), 0) + 1 into next_version from class_rule_sets where name = rule_name;
  insert into class_rule_sets (name, version, rules, created_by)
    values (rule_name, next_version, p_rules || jsonb_build_object('name', rule_name), auth.uid())
    returning id into new_id;
  return jsonb_build_object('id', new_id, 'name', rule_name, 'version', next_version);
end
$$;

-- Every rule set version, newest first: [{id, name, version, rules, createdAt}].
create function list_rule_sets() returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', r.id, 'name', r.name, 'version', r.version, 'rules', r.rules, 'createdAt', r.created_at)
           order by r.created_at desc, r.id desc), '[]')
  from class_rule_sets r;
$$;

-- What the rules weigh, for each current cell the caller may see, with events counted in the
-- p_days days before p_end: [{code, name, communityCode, communityName, class, classSource,
-- households, residents, areaKm2, events, eventsWeighted (severity × time decay with half-life
-- p_half_life_days, none when null), eventsByCategory (weighted), keyPersons (people at risk
-- level 2 or 3), hazardSites (places and organisations at risk level 2 or 3)}]; p_code: one cell only.
create function cell_class_inputs(p_end timestamptz, p_days integer, p_half_life_days double precision, p_code text default null) returns jsonb
language sql stable
set search_path = public, extensions
as $$
  with ev as (
    select e.cell_code, e.category, count(*) n,
           sum(e.severity * case when p_half_life_days is null then 1
                                 else power(0.5, extract(epoch from (p_end - e.occurred_at)) / 86400.0 / p_half_life_days) end) w
    from events e
    where e.cell_code is not null and (p_code is null or e.cell_code = p_code) and e.occurred_at < p_end and e.occurred_at >= p_end - make_interval(days => p_days)
    group by e.cell_code, e.category
  ), ev_cell as (
    select cell_code, sum(n) n, sum(w) w, jsonb_object_agg(category, round(w::numeric, 6)) by_category
    from ev group by cell_code
  ), ent as (
    select en.cell_code,
           count(*) filter (where en.kind = 'person') residents,
           count(*) filter (where en.kind = 'person' and en.risk_level >= 2) key_persons,
           count(*) filter (where en.kind in ('place', 'organisation') and en.risk_level >= 2) hazard_sites
    from entities en where en.cell_code is not null and (p_code is null or en.cell_code = p_code)
    group by en.cell_code
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'code', c.code, 'name', c.name, 'communityCode', c.community_code, 'communityName', a.name,
           'class', c.class, 'classSource', c.class_source, 'households', c.households,
           'residents', coalesce(ent.residents, 0), 'areaKm2', ST_Area(c.geom::geography) / 1e6,
           'events', coalesce(ev_cell.n, 0), 'eventsWeighted', coalesce(ev_cell.w, 0),
           'eventsByCategory', coalesce(ev_cell.by_category, '{}'::jsonb),
           'keyPersons', coalesce(ent.key_persons, 0), 'hazardSites', coalesce(ent.hazard_sites, 0))
           order by c.code), '[]')
  from cells c
  left join admin_areas a on a.code = c.community_code
  left join ev_cell on ev_cell.cell_code = c.code
  left join ent on ent.cell_code = c.code
  where c.valid_to is null and (p_code is null or c.code = p_code);
$$;

-- Writes the classes a rule set run produced: p_classes is [{code, class, reason}]. Cells with a
-- manual class keep it; codes that are no longer current (edited meanwhile) are skipped and
-- counted. One history row per changed class. Returns {changed, unchanged, keptManual, missing}.
create function apply_cell_classes(p_rule_set_id bigint, p_classes jsonb) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  item jsonb;
  cell cells;
  changed integer := 0;
  unchanged integer := 0;
  kept integer := 0;
  missing integer := 0;
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may apply rule sets';
  end if;
  if not exists (select 1 from class_rule_sets where id = p_rule_set_id) then
    raise exception using errcode = '22023', message = format('there is no rule set %s', p_rule_set_id);
  end if;
  for item in select * from jsonb_array_elements(p_classes) loop
    if coalesce(item ->> 'class', '') not in ('A', 'B', 'C') then
      raise exception using errcode = '22023', message = format('cell %s: class must be A, B or C, got "%s"', item ->> 'code', item ->> 'class');
    end if;
    select * into cell from cells where code = item ->> 'code' and valid_to is null for update;
    if not found then
      missing := missing + 1;
    elsif cell.class_source = 'manual' then
      kept := kept + 1;
    elsif cell.class = item ->> 'class' then
      update cells set class_reason = coalesce(item ->> 'reason', '') where id = cell.id;
      unchanged := unchanged + 1;
    else
      update cells set class = item ->> 'class', class_reason = coalesce(item ->> 'reason', '') where id = cell.id;
      insert into cell_class_changes (cell_code, from_class, to_class, source, reason, rule_set_id, changed_by)
        values (cell.code, cell.class, item ->> 'class', 'rule', coalesce(item ->> 'reason', ''), p_rule_set_id, auth.uid());
      changed := changed + 1;
    end if;
  end loop;
  return jsonb_build_object('changed', changed, 'unchanged', unchanged, 'keptManual', kept, 'missing', missing);
end
$$;

-- Sets a cell's class by hand, with a reason; rule runs keep it until the override is cleared.
create function override_cell_class(p_code text, p_class text, p_reason text) returns void
language plpgsql
set search_path = public, extensions
as $$
declare
  cell cells;
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may override a class';
  end if;
  if p_class is null or p_class not in ('A', 'B', 'C') then
    raise exception using errcode = '22023', message = format('the class must be A, B or C, got "%s"', p_class);
  end if;
  if length(btrim(coalesce(p_reason, ''))) = 0 then
    raise exception using errcode = '22023', message = 'a manual class needs a reason';
  end if;
  select * into cell from cells where code = p_code and valid_to is null for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('there is no current cell %s', p_code);
  end if;
  update cells set class = p_class, class_source = 'manual', class_reason = btrim(p_reason) where id = cell.id;
  insert into cell_class_changes (cell_code, from_class, to_class, source, reason, changed_by)
    values (p_code, cell.class, p_class, 'manual', btrim(p_reason), auth.uid());
end
$$;

-- Hands a cell back to the rules: its class stays until the next run, which may change it.
create function clear_cell_override(p_code text, p_reason text) returns void
language plpgsql
set search_path = public, extensions
as $$
declare
  cell cells;
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may clear an override';
  end if;
  select * into cell from cells where code = p_code and valid_to is null for update;
  if not found or cell.class_source <> 'manual' then
    raise exception using errcode = '22023', message = format('cell %s has no manual class to clear', p_code);
  end if;
  update cells set class_source = 'rule',
                   class_reason = jsonb_build_object('overrideCleared', coalesce(btrim(p_reason), ''))::text
    where id = cell.id;
  insert into cell_class_changes (cell_code, from_class, to_class, source, reason, changed_by)
    values (p_code, cell.class, cell.class, 'override_cleared', coalesce(btrim(p_reason), ''), auth.uid());
end
$$;

-- A cell's class changes, newest first: [{fromClass, toClass, source, reason, ruleSet, changedAt}].
create function cell_class_history(p_code text) returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'fromClass', h.from_class, 'toClass', h.to_class, 'source', h.source, 'reason', h.reason,
           'ruleSet', case when r.id is null then null else r.name || ' v' || r.version end,
           'changedAt', h.changed_at) order by h.changed_at desc, h.id desc), '[]')
  from cell_class_changes h left join class_rule_sets r on r.id = h.rule_set_id
  where h.cell_code = p_code;
$$;

-- The matrix, one entry per category: [{category, risk, responsibility, note}].
create function risk_matrix_entries() returns jsonb
language sql stable
set search_path = public, extensions
as $$
  select coalesce(jsonb_agg(jsonb_build_object('category', m.category, 'risk', m.risk,
           'responsibility', m.responsibility, 'note', m.note) order by m.category), '[]')
  from risk_matrix m;
$$;

-- Puts an event category in a quadrant (admins).
create function set_risk_matrix_entry(p_category text, p_risk text, p_responsibility text, p_note text) returns void
language plpgsql
set search_path = public, extensions
as $$
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may edit the risk matrix';
  end if;
  insert into risk_matrix (category, risk, responsibility, note, updated_by, updated_at)
    values (btrim(p_category), p_risk, p_responsibility, coalesce(p_note, ''), auth.uid(), now())
    on conflict (category) do update
      set risk = excluded.risk, responsibility = excluded.responsibility, note = excluded.note,
          updated_by = excluded.updated_by, updated_at = excluded.updated_at;
end
$$;

revoke all on function save_rule_set(jsonb), list_rule_sets(), cell_class_inputs(timestamptz, integer, double precision, text),
  apply_cell_classes(bigint, jsonb), override_cell_class(text, text, text), clear_cell_override(text, text),
  cell_class_history(text), risk_matrix_entries(), set_risk_matrix_entry(text, text, text, text) from public;
grant execute on function save_rule_set(jsonb), list_rule_sets(), cell_class_inputs(timestamptz, integer, double precision, text),
  apply_cell_classes(bigint, jsonb), override_cell_class(text, text, text), clear_cell_override(text, text),
  cell_class_history(text), risk_matrix_entries(), set_risk_matrix_entry(text, text, text, text) to authenticated, service_role;
