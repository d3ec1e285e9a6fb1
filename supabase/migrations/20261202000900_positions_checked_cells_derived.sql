-- Purpose: cells and coordinates could disagree (issue 22).
--   * The assignment trigger fired only on a change of geom, so an update of cell_code put a
--     point in a cell it is not in. It now fires on any change of the position or of what is
--     derived from it (cell_code, community_code, outside_district), which it sets again.
--   * Imports accepted NaN and 1e308 coordinates (POINT(NaN NaN) was stored), and a cell of
--     1e308 replaced a community's cells. Every geometry must now lie within China's extent
--     (longitude 73–136°, latitude 3–54°, WGS-84), which also refuses NaN and infinities.
-- Tables: entities, events, addresses: triggers *_assign_cell replaced; checks *_geom_in_china
--         added to entities, events, addresses, cells and admin_areas (NOT VALID: rows stored
--         before stay readable; every new or changed row is checked).
-- Destructive: none.

drop trigger entities_assign_cell on entities;
drop trigger events_assign_cell on events;
drop trigger addresses_assign_cell on addresses;
create trigger entities_assign_cell before insert or update of geom, cell_code, community_code, outside_district on entities
  for each row execute function assign_cell();
create trigger events_assign_cell before insert or update of geom, cell_code, community_code, outside_district on events
  for each row execute function assign_cell();
create trigger addresses_assign_cell before insert or update of geom, cell_code, community_code, outside_district on addresses
  for each row execute function assign_cell();

alter table entities add constraint entities_geom_in_china
  check (ST_X(geom) between 73 and 136 and ST_Y(geom) between 3 and 54) not valid;
alter table events add constraint events_geom_in_china
  check (ST_X(geom) between 73 and 136 and ST_Y(geom) between 3 and 54) not valid;
alter table addresses add constraint addresses_geom_in_china
  check (ST_X(geom) between 73 and 136 and ST_Y(geom) between 3 and 54) not valid;
alter table cells add constraint cells_geom_in_china
  check (ST_XMin(geom) >= 73 and ST_XMax(geom) <= 136 and ST_YMin(geom) >= 3 and ST_YMax(geom) <= 54) not valid;
alter table admin_areas add constraint admin_areas_geom_in_china
  check (ST_XMin(geom) >= 73 and ST_XMax(geom) <= 136 and ST_YMin(geom) >= 3 and ST_YMax(geom) <= 54) not valid;
