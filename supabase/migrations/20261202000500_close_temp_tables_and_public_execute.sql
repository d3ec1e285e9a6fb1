-- Purpose: two holes an attacker found (issue 22).
--   1. Temporary tables took over SECURITY DEFINER functions: their search_path was
--      `public, extensions`, and PostgreSQL then searches the session's temporary schema first,
--      so a temporary `members` made app_role() say admin. Every function now searches pg_temp
--      last, and the API roles may no longer create temporary tables.
--   2. Every function was executable by PUBLIC (anon included), internal helpers too:
--      reassign_points could be run by anyone over the whole district. EXECUTE now goes to the
--      roles that need it, function by function; helpers only run inside the functions that
--      call them. The grid edits run as their owner (SECURITY DEFINER) so that their helpers
--      need no grant; each still lets only grid administrators edit (require_grid_admin).
-- Functions: every function's search_path; split_cell, merge_cells, transfer_cell, move_cell,
--            reshape_cells, draw_cell, import_cells, import_communities and revert_cell_edit
--            become SECURITY DEFINER.
-- Destructive: none (privileges only).
-- New functions: PostgreSQL makes them executable by PUBLIC; revoke that and grant each to the
--                roles that need it (a test fails otherwise).

-- 1. pg_temp last, for every function of the project (not those of extensions).
do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'
      and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  loop
    execute format('alter function %s set search_path = public, extensions, pg_temp', f);
  end loop;
end
$$;

-- The API roles create no temporary tables (where the migration may say so: on a hosted
-- Supabase the database belongs to another role, and pg_temp last above is what protects).
do $$
begin
  execute format('revoke temporary on database %I from public', current_database());
  if exists (select 1 from pg_roles where rolname = 'anon') then
    execute format('revoke temporary on database %I from anon, authenticated', current_database());
  end if;
exception when insufficient_privilege then
  raise notice 'temporary tables: not revoked (%), functions search pg_temp last', sqlerrm;
end
$$;

-- 2. Grid edits run as their owner; their helpers need no grant.
alter function split_cell(text, integer, jsonb, text) security definer;
alter function merge_cells(jsonb, text, text) security definer;
alter function transfer_cell(text, integer, text, integer, text) security definer;
alter function move_cell(text, integer, text, text) security definer;
alter function reshape_cells(jsonb, text, boolean, text) security definer;
alter function draw_cell(text, jsonb, jsonb, text, boolean) security definer;
alter function import_cells(jsonb, jsonb, text, boolean) security definer;
alter function import_communities(jsonb) security definer;
alter function revert_cell_edit(bigint, text) security definer;

-- Nobody executes a function of the project unless granted below (extensions' functions, PostGIS
-- among them, keep their grants). PostgreSQL makes a new function executable by PUBLIC: a
-- migration that adds one revokes that and grants it (tests/db/function-grants.test.ts fails
-- for a function executable by a role not on its list).
do $$
declare
  f regprocedure;
  api_roles text := (select string_agg(rolname, ', ') from pg_roles where rolname in ('anon', 'authenticated', 'service_role'));
begin
  for f in
    select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'
      and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  loop
    execute format('revoke execute on function %s from public', f);
    if api_roles is not null then
      execute format('revoke execute on function %s from %s', f, api_roles);
    end if;
  end loop;
end
$$;

-- Members: the API (what the app calls, src/data/rpc.ts; classify_by_rules from load-demo), what row level security policies call
-- (app_role, is_own_cell), and the doors to personal data that invoker functions call
-- (person_personal from point_detail; import_person_private and person_keys_by_id_card from
-- import_entities). Each checks the caller's role itself or reads under row level security.
do $$
declare
  api text[] := array[
    'admin_areas_geojson(text)', 'apply_cell_classes(bigint, jsonb)', 'cell_class_history(text)',
    'cell_class_inputs(timestamptz, integer, double precision, text)', 'cell_detail(text)', 'cell_history(text)',
    'cells_geojson()', 'classify_by_rules(jsonb, integer, timestamptz)', 'clear_cell_override(text, text)', 'current_member()', 'district_overview()',
    'draw_cell(text, jsonb, jsonb, text, boolean)', 'geocode_address(text, text, integer)',
    'import_cells(jsonb, jsonb, text, boolean)', 'import_communities(jsonb)', 'import_entities(text, jsonb)',
    'list_rule_sets()', 'merge_cells(jsonb, text, text)', 'move_cell(text, integer, text, text)',
    'override_cell_class(text, text, text)', 'point_detail(text, uuid)', 'points_columns(text)',
    'preview_cell_edit(text, jsonb)', 'recent_cell_edits(integer)', 'reshape_cells(jsonb, text, boolean, text)',
    'revert_cell_edit(bigint, text)', 'risk_matrix_entries()', 'save_rule_set(jsonb)', 'search_map(text, integer)',
    'set_risk_matrix_entry(text, text, text, text)', 'split_cell(text, integer, jsonb, text)',
    'transfer_cell(text, integer, text, integer, text)',
    'app_role()', 'is_own_cell(text)', 'person_personal(uuid)', 'import_person_private(jsonb)',
    'person_keys_by_id_card(text[])'
  ];
  f text;
begin
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    return;
  end if;
  foreach f in array api loop
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
  -- A visitor who is not signed in asks only who they are (nobody).
  grant execute on function current_member() to anon;
end
$$;
