-- Purpose: one bad rule set broke every later grid edit (issue 22). save_rule_set checked the
--          shape of a rule set, not its values: a weight "abc", eventDays 10⁸, a weight of 1e308
--          or a threshold of 1e300 were saved, and every edit (which re-classes by the latest
--          set) then failed. rule_set_problem checks every value, word for word as the app and
--          the CLI do (ruleSetIssueText in src/domain/classify.ts; a db test compares them),
--          save_rule_set refuses what it finds, and a check keeps any other writer out.
-- Functions: rule_set_problem (new), save_rule_set (replaced: the same, checking values).
-- Tables: class_rule_sets gains the check class_rule_sets_rules_usable (NOT VALID: sets saved
--         before stay readable; new rows are checked).
-- Destructive: none.

create function rule_set_problem(p_rules jsonb) returns text
language plpgsql immutable
set search_path = public, extensions, pg_temp
as $$
declare
  inputs constant text[] := array['events', 'households', 'key_persons', 'hazard_sites', 'risk_index'];
  w record;
  any_weight boolean := false;
  num constant text := 'number';
  a numeric;
  b numeric;
  days jsonb;
  half jsonb;
  risk jsonb;
begin
  if jsonb_typeof(p_rules) is distinct from 'object' then
    return 'the rule set is not a JSON object';
  end if;
  if jsonb_typeof(p_rules -> 'name') is distinct from 'string' or btrim(p_rules ->> 'name') = '' then
    return '"name" must be a non-empty text';
  end if;
  if char_length(p_rules ->> 'name') > 200 then
    return '"name" must be at most 200 characters';
  end if;
  if jsonb_typeof(p_rules -> 'weights') is distinct from 'object' then
    return '"weights" must be an object of input → weight';
  end if;
  for w in select key, value from jsonb_each(p_rules -> 'weights') loop
    if not w.key = any (inputs) then
      return format('"weights" has an unknown input "%s"; inputs are %s', w.key, array_to_string(inputs, ', '));
    end if;
    if jsonb_typeof(w.value) is distinct from num or (w.value::text)::numeric < 0 or (w.value::text)::numeric > 1000 then
      return format('the weight of "%s" must be a number from 0 to 1000', w.key);
    end if;
    any_weight := any_weight or (w.value::text)::numeric > 0;
  end loop;
  if not any_weight then
    return '"weights" must weigh at least one input more than 0';
  end if;
  if coalesce(p_rules ->> 'normalize', '') not in ('rank', 'max', 'none') or jsonb_typeof(p_rules -> 'normalize') <> 'string' then
    return '"normalize" must be "rank", "max" or "none"';
  end if;
  if coalesce(p_rules ->> 'method', '') not in ('thresholds', 'quantiles') or jsonb_typeof(p_rules -> 'method') <> 'string' then
    return '"method" must be "thresholds" or "quantiles"';
  end if;
  if jsonb_typeof(p_rules -> 'A') is distinct from num or jsonb_typeof(p_rules -> 'B') is distinct from num
     or abs((p_rules ->> 'A')::numeric) > 1e9 or abs((p_rules ->> 'B')::numeric) > 1e9 then
    return '"A" and "B" must be numbers from -1000000000 to 1000000000';
  end if;
  a := (p_rules ->> 'A')::numeric;
  b := (p_rules ->> 'B')::numeric;
  if p_rules ->> 'method' = 'thresholds' and a < b then
    return 'the A threshold must be at least the B threshold';
  end if;
  if p_rules ->> 'method' = 'quantiles' and (a < 0 or b < 0 or a + b > 1) then
    return 'the A and B shares must be ≥ 0 and add up to at most 1';
  end if;
  days := p_rules -> 'eventDays';
  if days is not null and (jsonb_typeof(days) is distinct from num or (days::text)::numeric % 1 <> 0
                           or (days::text)::numeric < 1 or (days::text)::numeric > 3650) then
    return '"eventDays" must be a whole number of days from 1 to 3650';
  end if;
  half := p_rules -> 'halfLifeDays';
  if half is not null and jsonb_typeof(half) <> 'null'
     and (jsonb_typeof(half) <> num or (half::text)::numeric <= 0 or (half::text)::numeric > 3650) then
    return '"halfLifeDays" must be a number of days above 0 and up to 3650, or null for no decay';
  end if;
  risk := p_rules -> 'risk';
  if risk is not null then
    if jsonb_typeof(risk) is distinct from 'object' then
      return '"risk" must be an object {per, hazardWeight}';
    end if;
    if jsonb_typeof(risk -> 'per') is distinct from 'string' or risk ->> 'per' not in ('area', 'residents') then
      return '"risk.per" must be "area" (per km²) or "residents" (per 1,000 residents)';
    end if;
    if jsonb_typeof(risk -> 'hazardWeight') is distinct from num
       or (risk ->> 'hazardWeight')::numeric < 0 or (risk ->> 'hazardWeight')::numeric > 1000 then
      return '"risk.hazardWeight" must be a number from 0 to 1000';
    end if;
  end if;
  return null;
end
$$;

comment on function rule_set_problem(jsonb) is
  'What is wrong with a rule set, in the words of ruleSetIssueText (src/domain/classify.ts), or null when it is usable: every value within its bounds, so that scores stay finite and runs bounded.';
revoke execute on function rule_set_problem(jsonb) from public;
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'authenticated') then
    grant execute on function rule_set_problem(jsonb) to authenticated, service_role;
  end if;
end
$$;

create or replace function save_rule_set(p_rules jsonb) returns jsonb
language plpgsql
set search_path = public, extensions, pg_temp
as $$
declare
  rule_name text := btrim(coalesce(p_rules ->> 'name', ''));
  problem text := rule_set_problem(p_rules);
  next_version integer;
  new_id bigint;
begin
  if app_role() <> 'admin' then
    raise exception using errcode = '42501', message = 'only grid administrators may save rule sets';
  end if;
  if problem is not null then
    raise exception using errcode = '22023', message = 'the rule set cannot be used: ' || problem;
  end if;
  perform pg_advisory_xact_lock(hashtext('class_rule_sets:' || rule_name));
  select coalesce(max(version), 0) + 1 into next_version from class_rule_sets where name = rule_name;
  insert into class_rule_sets (name, version, rules, created_by)
    values (rule_name, next_version, p_rules || jsonb_build_object('name', rule_name), auth.uid())
    returning id into new_id;
  return jsonb_build_object('id', new_id, 'name', rule_name, 'version', next_version);
end
$$;

alter table class_rule_sets add constraint class_rule_sets_rules_usable check (rule_set_problem(rules) is null) not valid;
