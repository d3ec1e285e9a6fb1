-- Every function documented where the database keeps it (COMMENT ON FUNCTION), so the current
-- schema (supabase/schema.sql) shows what each does now. The comments above the functions in
-- older migrations are history: some no longer hold (next_cell_codes was documented with a
-- p_count it lost; point_detail's said only what had changed; merges were said to keep the
-- highest class "until rule sets recompute it", but an edit now re-classes in its own
-- transaction). A migration that changes a function restates its comment.

-- Reads for the map and the inspector.
comment on function admin_areas_geojson(text) is
  'The admin areas of one level (district, street, community) the caller may see, as a GeoJSON FeatureCollection: code, name, level, parentCode.';
comment on function cells_geojson() is
  'The current cells the caller may see (all for admin, command centre and planner; a worker''s own), as a GeoJSON FeatureCollection with code, name, community, class, class source, households and version.';
comment on function district_overview() is
  'The district''s code, name, bbox [w, s, e, n] and counts of the cells, entities by kind and events the caller may see.';
comment on function current_member() is
  'The calling member as {userId, role, displayName}, or null for a non-member.';
comment on function cell_detail(text) is
  'One current cell with its class reason, street, area (m²), counts of what lies in it and its top event categories; null when it does not exist or the caller may not see it.';
comment on function cell_history(text) is
  'Every version of a cell, oldest first, with the edit that wrote it (operation, reason, actor) and its shape: the history timeline.';
comment on function points_columns(text) is
  'Every entity of a kind (person, place, thing, organisation; by external id) or every event (by time) the caller may see, in columns: ids, lng, lat (7 decimals), category, severity (events) or risk level (entities); events add source and time (epoch ms). Other kinds are refused (22023).';
comment on function point_detail(text, uuid) is
  'One entity or event by kind and id with its cell; for a person, the personal fields as person_personal gives them to the caller (so reading may log a view: volatile). Null when the caller may not see it.';
comment on function search_map(text, integer) is
  'Up to p_limit hits for a query, best first: [{kind, id, label, detail, lngLat, bbox}], kind one of cell, district, street, community, person, place, thing, organisation, event; id the cell or area code, or the entity''s or event''s id; only what the caller may see.';
comment on function geocode_address(text, text, integer) is
  'Up to p_limit gazetteer candidates for a normalised address, best first, each with a score in [0, 1] (1: the same normalised address; otherwise trigram similarity to the whole query or to its door part p_door) and its cell.';
comment on function cell_at(geometry) is
  'The current cell containing a point (the lowest code on a shared border, so the answer is deterministic), or null outside every cell.';

-- Roles and personal data.
comment on function app_role() is
  'The caller''s application role (admin, command, planner, worker), or ''anon'' for a non-member. Security definer: policies call it without read access to members.';
comment on function is_own_cell(text) is
  'True when the caller is a grid worker assigned to the cell.';
comment on function require_grid_admin() is
  'Raises 42501 unless the caller is a grid administrator; the first line of every grid edit.';
comment on function person_personal(uuid) is
  'A person''s personal fields as the caller may see them: in full for admins and the worker of the person''s cell (each view logged in personal_data_views), masked for the command centre, null for everyone else. Security definer: person_private is not readable directly; this is its one door.';
comment on function mask_id_card(text) is
  'An ID card number with only the region (first 6) and the last 4 characters shown.';
comment on function mask_phone(text) is
  'A phone number with the middle digits hidden (138****5678).';
comment on function mask_address(text) is
  'An address cut after the house number (号), the rest hidden: where, not which flat.';

-- Entities and imports.
comment on function assign_cell() is
  'Trigger: sets an entity''s or event''s cell_code, community_code and outside_district from its position. Security definer, so a worker''s insert is placed against every cell, not only the visible ones.';
comment on function touch_updated_at() is
  'Trigger: sets updated_at to now() on every update.';
comment on function import_entities(text, jsonb) is
  'Imports entities of one kind by natural key (kind, external_id): p_rows [{external_id, name, category, risk_level, lon, lat, attributes, personal?}] in WGS-84, personal {id_card_number, phone, address} for people; a person without external_id is known by ID card number: the person already there with it is updated, a new one gets a generated id (''P-'' and 16 hex digits). Returns {inserted, updated, unchanged}.';
comment on function import_person_private(jsonb) is
  'Writes imported people''s personal fields and returns how many had only those changed. Security definer (personal columns are not readable by callers); checks the right itself: admins for everyone, workers for people in their own cells.';
comment on function person_keys_by_id_card(text[]) is
  'The external id of the person with each ID card number that the caller may write (admins: anyone; workers: people in their own cells), one per number. Security definer: personal columns are not readable by callers.';
comment on function reassign_points(geometry) is
  'Re-assigns the entities and events inside an area to the cells that now contain them, after a grid edit. Security definer: under row security the spatial index cannot be used; it only writes the cell each point lies in, as the assignment trigger does for anyone.';

-- Grid edits: each checks the versions the editor saw, writes new cell versions through
-- commit_cell_edit (history row, codes, workers, points, community borders, re-classing) and
-- returns {editId, operation, cells: [{code, version}], newCodes, retiredCodes, reclassified}.
comment on function split_cell(text, integer, jsonb, text) is
  'Grid edit: splits a cell along a line (or a MultiLineString) drawn across it. The largest part keeps the code, the others get new codes; where the line crosses a border the neighbours gain the vertex (their shape unchanged), so neighbours keep sharing vertices.';
comment on function merge_cells(jsonb, text, text) is
  'Grid edit: merges cells of one community that form one connected shape. p_keep (or the largest) keeps its code, the others retire; the class is then set by the latest saved rule set in the same transaction (the highest of the merged cells when none was saved; a manual class kept).';
comment on function transfer_cell(text, integer, text, integer, text) is
  'Grid edit: deletes a cell by giving its whole area to a neighbour sharing a border with it; the neighbour keeps its code, the deleted cell''s code retires.';
comment on function move_cell(text, integer, text, text) is
  'Grid edit: moves a cell to a neighbouring community of the same street under a new code there; both communities'' borders follow.';
comment on function reshape_cells(jsonb, text, boolean, text) is
  'Grid edit: new shapes for several cells at once, p_cells [{code, version, geometry}]. Mode ''reshape'' (a moved shared border): together they cover exactly what they covered before. Mode ''fix'' (gaps filled, overlaps cut): they may also cover where no other cell lies, and lose nothing. The new shapes never overlap each other.';
comment on function draw_cell(text, jsonb, jsonb, text, boolean) is
  'Grid edit: a new cell drawn in a community (p_shape a GeoJSON Polygon, WGS-84); the cells it lies on give up that area. p_cells [{code, version}] must name every current cell of the community the shape lies on, as the editor saw them, or the edit is a conflict.';
comment on function import_cells(jsonb, jsonb, text, boolean) is
  'Grid edit: a new design of communities'' cells, p_cells [{row, code or null, name, community_code, households or null, geometry}] in WGS-84; p_expected [{code, version}] every current cell of those communities as the editor saw them. Kept codes stay, new cells get new codes, missing ones retire.';
comment on function import_communities(jsonb) is
  'Adds communities under their street (the first 9 digits of a 12-digit code), or updates the name and boundary of existing ones: p_areas [{row, code, name, geometry}] in WGS-84. Administrators only.';
comment on function revert_cell_edit(bigint, text) is
  'Undoes an edit, or redoes an undone one by undoing the undo: the cells it wrote must still be current; they close and the cells it closed come back with their codes.';
comment on function preview_cell_edit(text, jsonb) is
  'What a split, merge or transfer would write, without writing it: p_args split {code, version, line}, merge {cells: [{code, version}], keep}, transfer {code, version, to_code, to_version}. Returns {operation, cells: [{code, isNew, areaSquareMeters, households, geometry}], newCodes, retiredCodes}.';
comment on function recent_cell_edits(integer) is
  'The latest p_limit edits, newest first, with whether each can still be undone (every cell it wrote still current, not reverted).';
comment on function lock_cells(jsonb) is
  'Internal to grid edits: locks and returns the current rows of p_expected [{code, version}] after checking the versions (edit_conflict otherwise), locking their communities first so that edits of one community run one after another and new codes never collide.';
comment on function edit_conflict(text, integer) is
  'Internal to grid edits: raises GA409 when an edit names a cell version that is no longer current; DETAIL holds the fresh state as JSON [{code, version, geometry}] (version null for a retired code).';
comment on function cell_with_shape(cells, geometry) is
  'Internal to grid edits: a cell as commit_cell_edit takes it (its columns as JSON, with a new shape); edits override what they change with ||.';
comment on function next_cell_codes(text, geometry[]) is
  'Internal to grid edits: one new code per shape in a community, after the highest the community ever had (so a retired code is not handed out again; the last three digits of a code allow 999 per community), in cell-numbering order of the shapes: north to south, then west to east.';
comment on function commit_cell_edit(text, text, cells[], jsonb, boolean, bigint) is
  'Internal to grid edits: writes an edit through write_cell_edit and re-classes the cells it wrote by the latest saved rule set in the same transaction; returns the edit''s result with reclassified (null when no rule set was ever saved).';
comment on function write_cell_edit(text, text, cells[], jsonb, boolean, bigint) is
  'Internal to grid edits: closes the cells p_before, writes p_after (valid, non-empty, single-part unless allowed; codes kept or issued by next_cell_codes), hands workers to new and heir cells, re-assigns the points, moves community borders and records the edit in cell_edits.';
comment on function refresh_community_shapes(text[]) is
  'Internal to grid edits: sets each community''s shape to the union of its current cells, and each of their streets'' to the union of its communities.';

-- Classes and risk.
comment on function cell_class_inputs(timestamptz, integer, double precision, text) is
  'What the rules weigh, for each current cell the caller may see, with events counted in the p_days days before p_end: households, residents, area, events (and weighted by severity × decay with half-life p_half_life_days), events by category, key persons and hazard sites; p_code: one cell only.';
comment on function classify_by_rules(jsonb, integer, timestamptz) is
  'The A/B/C class of every current cell under a saved rule set (judged among all cells) with its reason: events counted eventDays (default 90) back from p_end, halved every halfLifeDays (none when absent), the risk index as the set''s risk says.';
comment on function save_rule_set(jsonb) is
  'Saves a rule set as the next version of its name (never overwriting one) and returns {id, name, version}. Administrators only; the shape is checked here, the app checks the values before sending.';
comment on function list_rule_sets() is
  'Every rule set version, newest first: [{id, name, version, rules, createdAt}].';
comment on function apply_cell_classes(bigint, jsonb) is
  'Writes the classes a rule set run produced, p_classes [{code, class, reason}]: manual classes kept, codes no longer current skipped and counted, one history row per changed class. Returns {changed, unchanged, keptManual, missing}.';
comment on function reclassify_cells(text[]) is
  'Classes the given current cells by the latest saved rule set (judged among all cells, as a full run would) and writes them as a run of it, manual classes kept. Returns {ruleSet, changed, unchanged, keptManual, missing}, or null when no rule set was ever saved. Reads every cell''s inputs as the owner.';
comment on function override_cell_class(text, text, text) is
  'Sets a cell''s class by hand with a reason; rule runs keep it until the override is cleared. Administrators only.';
comment on function clear_cell_override(text, text) is
  'Hands a cell back to the rules: its class stays until the next run or edit re-classes it. Administrators only.';
comment on function cell_class_history(text) is
  'A cell''s class changes, newest first: [{fromClass, toClass, source, reason, ruleSet, changedAt}].';
comment on function risk_matrix_entries() is
  'The risk × responsibility matrix, one entry per event category: [{category, risk, responsibility, note}].';
comment on function set_risk_matrix_entry(text, text, text, text) is
  'Puts an event category in a quadrant of the risk × responsibility matrix, with a note. Administrators only.';
