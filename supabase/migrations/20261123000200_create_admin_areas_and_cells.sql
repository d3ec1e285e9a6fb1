-- Purpose: schema v1, part 1: the admin hierarchy (district, street, community) and the unit
--          grid cells that tile each community, with class A/B/C and version history.
-- Tables: admin_areas, cells (new).
-- Destructive: nothing.

create extension if not exists postgis;

create table admin_areas (
  id bigint generated always as identity primary key,
  level text not null check (level in ('district', 'street', 'community')),
  -- Statistical division codes: district 6 digits, street 9, community 12 (GB/T 10114 style).
  code text not null unique,
  name text not null,
  parent_code text references admin_areas (code),
  geom geometry(MultiPolygon, 4326) not null,
  constraint admin_areas_code_matches_level check (
    (level = 'district' and code ~ '^[0-9]{6}$')
    or (level = 'street' and code ~ '^[0-9]{9}$')
    or (level = 'community' and code ~ '^[0-9]{12}$')
  ),
  constraint admin_areas_parent_is_prefix check (
    parent_code is null or left(code, length(parent_code)) = parent_code
  ),
  constraint admin_areas_geom_valid check (ST_IsValid(geom) and ST_SRID(geom) = 4326)
);
create index admin_areas_geom_idx on admin_areas using gist (geom);
create index admin_areas_parent_idx on admin_areas (parent_code);

comment on table admin_areas is 'District, streets and communities with their statistical division codes.';

-- One row per version of a cell. The current version has valid_to null; an edit closes the old
-- row (valid_to = now()) and inserts a new one, so every past shape stays queryable.
create table cells (
  id bigint generated always as identity primary key,
  -- 12-digit community code + 3-digit sequence (Beijing unit-grid standard).
  code text not null check (code ~ '^[0-9]{15}$'),
  name text not null,
  community_code text not null references admin_areas (code),
  class text not null default 'C' check (class in ('A', 'B', 'C')),
  class_source text not null default 'rule' check (class_source in ('rule', 'manual')),
  class_reason text not null default '',
  households integer not null default 0 check (households >= 0),
  version integer not null default 1 check (version >= 1),
  valid_from timestamptz not null default now(),
  valid_to timestamptz,
  created_by uuid,
  geom geometry(MultiPolygon, 4326) not null,
  constraint cells_code_in_community check (left(code, 12) = community_code),
  constraint cells_manual_class_has_reason check (class_source = 'rule' or class_reason <> ''),
  constraint cells_validity_ordered check (valid_to is null or valid_to >= valid_from),
  constraint cells_geom_valid check (ST_IsValid(geom) and ST_SRID(geom) = 4326 and not ST_IsEmpty(geom))
);
-- A code names at most one current cell; closed versions keep the code for history.
create unique index cells_current_code_idx on cells (code) where valid_to is null;
create unique index cells_code_version_idx on cells (code, version);
create index cells_geom_idx on cells using gist (geom);
create index cells_current_geom_idx on cells using gist (geom) where valid_to is null;
create index cells_community_idx on cells (community_code) where valid_to is null;

comment on table cells is 'Unit grid cells (网格), one row per version; valid_to is null on the current version.';
comment on column cells.class_reason is 'Why the cell has its class: the rule that fired, or the reason for a manual override.';
