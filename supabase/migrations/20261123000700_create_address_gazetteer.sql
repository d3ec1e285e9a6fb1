-- Purpose: the local standard-address gazetteer (标准地址库) and offline address matching by
--          trigram similarity (pg_trgm) on normalised addresses. Normalisation (full-width,
--          Chinese numerals, 幢/栋, missing district prefixes) is done by the client with
--          src/domain/address.ts for both the gazetteer rows and the queries.
-- Tables: addresses (new). Functions: geocode_address (new).
-- Destructive: nothing.

create extension if not exists pg_trgm;

create table addresses (
  id text primary key,
  kind text not null check (kind in ('door', 'building', 'poi')),
  road text not null default '',
  house_number text not null default '',
  building text not null default '',
  name text not null default '',
  address text not null,
  normalized text not null check (normalized <> ''),
  geom geometry(Point, 4326) not null,
  cell_code text,
  community_code text,
  outside_district boolean not null default false,
  constraint addresses_geom_valid check (ST_IsValid(geom) and ST_SRID(geom) = 4326 and not ST_IsEmpty(geom))
);
create index addresses_normalized_trgm_idx on addresses using gin (normalized gin_trgm_ops);
create index addresses_geom_idx on addresses using gist (geom);
create index addresses_cell_idx on addresses (cell_code);

create trigger addresses_assign_cell
  before insert or update of geom on addresses
  for each row execute function assign_cell();

comment on table addresses is 'Standard addresses (door plates, buildings, named places) with their position and cell.';
comment on column addresses.normalized is 'normalizeAddress(address) from src/domain/address.ts; what queries are matched against.';

alter table addresses enable row level security;
grant select, insert, update, delete on addresses to authenticated, service_role;
create policy "members read addresses" on addresses
  for select to authenticated using (app_role() in ('admin', 'command', 'worker', 'planner'));
create policy "admins manage addresses" on addresses
  for all to authenticated using (app_role() = 'admin') with check (app_role() = 'admin');

-- Returns up to p_limit gazetteer candidates for a normalised query, best first, each with a
-- score in [0, 1] (1: the normalised address is the same; otherwise trigram similarity to the
-- whole query or to its door part p_door, the query cut after its house number).
create function geocode_address(p_query text, p_door text, p_limit integer default 5) returns jsonb
language sql stable
set search_path = public, extensions
as $$
  with q as (
    select p_query as whole, coalesce(nullif(p_door, ''), p_query) as door
  ), scored as (
    select a.*, case when a.normalized in (q.whole, q.door) then 1.0
                     else greatest(similarity(a.normalized, q.whole), similarity(a.normalized, q.door)) end as score
    from addresses a, q
    where a.normalized % q.whole or a.normalized % q.door or a.normalized in (q.whole, q.door)
    order by score desc, a.id
    limit greatest(1, least(p_limit, 50))
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', id, 'kind', kind, 'address', address, 'name', name,
    'score', round(score::numeric, 3),
    'lngLat', jsonb_build_array(ST_X(geom), ST_Y(geom)),
    'cellCode', cell_code
  ) order by score desc, id), '[]'::jsonb)
  from scored
$$;

grant execute on function geocode_address(text, text, integer) to authenticated, service_role;
revoke execute on function geocode_address(text, text, integer) from anon, public;
