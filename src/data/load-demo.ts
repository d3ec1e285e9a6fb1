import { planDemoCases } from '../demo/demo-cases';
import { DEMO_RULE_SET } from '../demo/demo-rules';
import type { DemoDistrict } from '../demo/generate-district';
import { normalizeAddress } from '../domain/address';
import { DEMO_MEMBERS } from './demo-members';
import { loadDemoCases } from './load-demo-cases';
import type { SqlClient } from './sql-client';

const BATCH_ROWS = 5_000;

async function insertBatches<T>(client: SqlClient, rows: readonly T[], sql: string): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    await client.query(sql, [JSON.stringify(rows.slice(i, i + BATCH_ROWS))]);
  }
}

/**
 * Saves the demo's rule set as the administrator and classes every cell by it, counting events up
 * to the last one loaded (so the classes do not depend on the day the demo is loaded): each cell's
 * reason then names a rule set and version the classification panel lists.
 */
async function classifyByDemoRules(client: SqlClient): Promise<void> {
  const admin = DEMO_MEMBERS.find((m) => m.role === 'admin');
  if (!admin) throw new Error('the demo has no administrator');
  await client.transaction(async (tx) => {
    await tx.exec('set local role authenticated');
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: admin.userId, role: 'authenticated' })]);
    const { rows } = await tx.query<{ saved: { id: number; version: number } }>('select save_rule_set($1) as saved', [
      JSON.stringify(DEMO_RULE_SET),
    ]);
    const saved = rows[0]?.saved;
    if (!saved) throw new Error('the demo rule set was not saved');
    await tx.query(
      `select apply_cell_classes($1, (
         select coalesce(jsonb_agg(jsonb_build_object('code', k.code, 'class', k.class, 'reason', k.reason) order by k.code), '[]')
         from classify_by_rules($2, $3, (select max(occurred_at) + interval '1 second' from events)) k))`,
      [saved.id, JSON.stringify(DEMO_RULE_SET), saved.version],
    );
  });
}

/** Counts of rows loaded, per table. */
export interface LoadCounts {
  addresses: number;
  admin_areas: number;
  cells: number;
  entities: number;
  events: number;
  cases: number;
}

/**
 * Loads a demo district into a migrated database in one transaction and returns the counts.
 * Needs a role that bypasses row level security (the owner, postgres or service_role).
 * Rows are sent as JSON batches and expanded with jsonb_to_recordset, so no value is ever
 * spliced into SQL text; every entity and event gets its cell from the database trigger.
 */
export async function loadDemo(client: SqlClient, demo: DemoDistrict): Promise<LoadCounts> {
  await client.exec('begin');
  try {
    const areas = [...demo.district.features, ...demo.streets.features, ...demo.communities.features].map((f) => ({
      ...f.properties,
      geom: JSON.stringify(f.geometry),
    }));
    await insertBatches(
      client,
      areas,
      `insert into admin_areas (level, code, name, parent_code, geom)
       select level, code, name, parent_code, ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)
       from jsonb_to_recordset($1::jsonb) as r(level text, code text, name text, parent_code text, geom text)`,
    );
    await insertBatches(
      client,
      demo.cells.features.map((f) => ({ ...f.properties, geom: JSON.stringify(f.geometry) })),
      `insert into cells (code, name, community_code, class, class_source, class_reason, households, geom)
       select code, name, community_code, class, 'rule', class_reason, households, ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)
       from jsonb_to_recordset($1::jsonb)
         as r(code text, name text, community_code text, class text, class_reason text, households int, geom text)`,
    );
    const people = demo.people.map((p) => ({
      external_id: p.id,
      name: p.name,
      category: p.key_person ? '重点人员' : p.floating ? '流动人口' : '户籍人口',
      attributes: {
        gender: p.gender,
        birth_year: p.birth_year,
        household_id: p.household_id,
        key_person: p.key_person,
        floating: p.floating,
      },
      id_card_number: p.id_card_number,
      phone: p.phone,
      address: p.address,
      lon: p.lon,
      lat: p.lat,
    }));
    await insertBatches(
      client,
      people,
      `with r as (
         select * from jsonb_to_recordset($1::jsonb)
           as r(external_id text, name text, category text, attributes jsonb, id_card_number text, phone text, address text, lon float8, lat float8)
       ), e as (
         insert into entities (kind, external_id, name, category, attributes, geom)
         select 'person', external_id, name, category, attributes, ST_SetSRID(ST_MakePoint(lon, lat), 4326) from r
         returning id, external_id
       )
       insert into person_private (entity_id, id_card_number, phone, address)
       select e.id, r.id_card_number, r.phone, r.address from e join r using (external_id)`,
    );
    const sites = [
      ...demo.places.map((s) => ({ ...s, kind: 'place' })),
      ...demo.things.map((s) => ({ ...s, kind: 'thing' })),
      ...demo.organisations.map((s) => ({ ...s, kind: 'organisation' })),
    ].map((s) => ({
      kind: s.kind,
      external_id: s.id,
      name: s.name,
      category: s.category,
      risk_level: s.risk_level,
      attributes: { address: s.address },
      lon: s.lon,
      lat: s.lat,
    }));
    await insertBatches(
      client,
      sites,
      `insert into entities (kind, external_id, name, category, risk_level, attributes, geom)
       select kind, external_id, name, category, risk_level, attributes, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
       from jsonb_to_recordset($1::jsonb)
         as r(kind text, external_id text, name text, category text, risk_level smallint, attributes jsonb, lon float8, lat float8)`,
    );
    await insertBatches(
      client,
      demo.events,
      `insert into events (external_id, category, severity, source, occurred_at, status, description, geom)
       select id, category, severity, source, occurred_at, status, description, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
       from jsonb_to_recordset($1::jsonb)
         as r(id text, category text, severity smallint, source text, occurred_at timestamptz, status text, description text, lon float8, lat float8)`,
    );
    await insertBatches(
      client,
      demo.gazetteer.map((g) => ({ ...g, normalized: normalizeAddress(g.kind === 'poi' ? g.name : g.address) })),
      `insert into addresses (id, kind, road, house_number, building, name, address, normalized, geom)
       select id, kind, road, house_number, building, name, address, normalized, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
       from jsonb_to_recordset($1::jsonb)
         as r(id text, kind text, road text, house_number text, building text, name text, address text, normalized text, lon float8, lat float8)`,
    );
    await insertBatches(
      client,
      // Department officers come with their departments (loadDemoCases).
      DEMO_MEMBERS.filter((m) => m.role !== 'department').map((m) => ({ user_id: m.userId, role: m.role, display_name: m.displayName })),
      `insert into members (user_id, role, display_name)
       select user_id, role, display_name from jsonb_to_recordset($1::jsonb) as r(user_id uuid, role text, display_name text)
       on conflict (user_id) do update set role = excluded.role, display_name = excluded.display_name`,
    );
    const worker = DEMO_MEMBERS.find((m) => m.role === 'worker');
    const firstCommunity = demo.communities.features[0]?.properties.code;
    if (worker && firstCommunity) {
      await client.query(
        `insert into worker_cells (user_id, cell_code)
         select $1::uuid, code from cells where community_code = $2 and valid_to is null
         on conflict do nothing`,
        [worker.userId, firstCommunity],
      );
    }
    // Cases run to the end of the demo's last day (its events' last moment).
    const last = demo.events.reduce((m, e) => Math.max(m, Date.parse(e.occurred_at)), 0);
    const endOfDay = new Date(Math.ceil((last + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000);
    await loadDemoCases(client, planDemoCases(demo.events, 1), endOfDay);
    await client.exec('commit');
  } catch (error) {
    await client.exec('rollback').catch(() => undefined);
    throw error;
  }
  // Fresh tables have no statistics: without them the planner's generic plans for the SQL
  // functions (cell_class_inputs on every edit) take seconds instead of a tenth of one.
  await client.exec('analyze');
  await classifyByDemoRules(client);
  const { rows } = await client.query<LoadCounts>(
    `select (select count(*)::int from addresses) as addresses, (select count(*)::int from admin_areas) as admin_areas, (select count(*)::int from cells) as cells,
            (select count(*)::int from entities) as entities, (select count(*)::int from events) as events, (select count(*)::int from cases) as cases`,
  );
  return rows[0] as LoadCounts;
}
