-- Purpose: schema v1, part 2: people, places, things and organisations (entities), the personal
--          fields of people kept apart, and events; every located row gets its cell by trigger.
-- Tables: entities, person_private, events (new). Functions: cell_at(), assign_cell() trigger.
-- Destructive: nothing.

create table entities (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('person', 'place', 'thing', 'organisation')),
  -- Natural key from the source system, unique per kind, so a re-import updates in place.
  external_id text not null,
  name text not null,
  category text not null default '',
  -- Risk level of standing hazards (places, organisations, things): 0 none .. 3 high.
  risk_level smallint not null default 0 check (risk_level between 0 and 3),
  attributes jsonb not null default '{}' check (jsonb_typeof(attributes) = 'object'),
  geom geometry(Point, 4326) not null,
  cell_code text,
  community_code text,
  outside_district boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (kind, external_id),
  constraint entities_geom_valid check (ST_IsValid(geom) and ST_SRID(geom) = 4326 and not ST_IsEmpty(geom))
);
create index entities_geom_idx on entities using gist (geom);
create index entities_cell_idx on entities (cell_code);
create index entities_kind_idx on entities (kind);

comment on table entities is 'People, places, things and organisations (人、地、物、组织) with their cell.';
comment on column entities.attributes is 'Per-kind attributes, e.g. person: gender, birth_year, key_person; place: place_type.';

-- Personal fields of people live apart so that roles that must never see them (planner) are
-- kept out by the database itself, not by the UI.
create table person_private (
  entity_id uuid primary key references entities (id) on delete cascade,
  id_card_number text not null default '' check (id_card_number ~ '^([0-9]{17}[0-9X])?$'),
  phone text not null default '',
  address text not null default ''
);

comment on table person_private is 'Personal fields of people (ID card, phone, exact address); planners never read them.';

create table events (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  category text not null,
  severity smallint not null check (severity between 1 and 4),
  source text not null check (source in ('grid_worker', 'camera', 'citizen', 'hotline', 'sensor', 'department')),
  occurred_at timestamptz not null,
  -- Stages of the closed loop: collection → filing → dispatch → handling → verification → evaluation.
  status text not null default 'reported'
    check (status in ('reported', 'filed', 'dispatched', 'handled', 'closed', 'evaluated', 'dismissed')),
  description text not null default '',
  reported_by uuid,
  geom geometry(Point, 4326) not null,
  cell_code text,
  community_code text,
  outside_district boolean not null default false,
  created_at timestamptz not null default now(),
  constraint events_geom_valid check (ST_IsValid(geom) and ST_SRID(geom) = 4326 and not ST_IsEmpty(geom))
);
create index events_geom_idx on events using gist (geom);
create index events_cell_idx on events (cell_code);
create index events_occurred_at_idx on events (occurred_at);
create index events_category_idx on events (category);

comment on table events is 'Events (事): reports of problems, each with category, severity, source and time.';

-- Returns the current cell containing a point: the lowest code wins on a shared border so the
-- answer is deterministic. Null when the point is outside every cell.
create function cell_at(p geometry) returns table (code text, community_code text)
language sql stable
set search_path = public, extensions
as $$
  select c.code, c.community_code
  from cells c
  where c.valid_to is null and ST_Intersects(c.geom, p)
  order by c.code
  limit 1
$$;

-- Sets cell_code, community_code and outside_district from the row's geometry. Security
-- definer so that a worker's insert is assigned against every cell, not only the visible ones.
create function assign_cell() returns trigger
language plpgsql security definer
set search_path = public, extensions
as $$
declare
  hit record;
begin
  select * into hit from cell_at(new.geom);
  new.cell_code := hit.code;
  new.community_code := hit.community_code;
  new.outside_district := hit.code is null;
  return new;
end
$$;

create trigger entities_assign_cell
  before insert or update of geom on entities
  for each row execute function assign_cell();
create trigger events_assign_cell
  before insert or update of geom on events
  for each row execute function assign_cell();

create function touch_updated_at() returns trigger
language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger entities_touch_updated_at
  before update on entities
  for each row execute function touch_updated_at();
