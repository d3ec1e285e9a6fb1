/**
 * Benchmark (not a test): an export of 1,000,000 entities (issue 25), as a planner exports places
 * from the export dialog, on PGlite + PostGIS with the demo district and its places copied to a
 * million. GridAtlas reads the layer in pages of 10,000 after the last id (`export_points`, a keyset
 * page: each costs the same wherever it starts) and writes the file (CSV here, as the dialog's
 * worker does; GeoJSON, the shapefile and the GeoPackage are timed on the same rows). The naive
 * baseline pages with OFFSET, which rereads every row before the page: timed on pages spread over
 * the layer and summed over its 100 pages. Run with `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEMO_MEMBERS } from '../src/data/demo-members';
import { createPglite } from '../src/data/embedded/create-pglite';
import { migrate } from '../src/data/migrate';
import { readMigrations } from '../src/data/read-migrations';
import { exportPointsOf, pointsToCsv, pointsToGeoJson, pointsToGeoPackage, pointsToShapefileZip } from '../src/geo/export-points';

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const PAGE = 10_000;
const PLANNER = DEMO_MEMBERS.find((m) => m.role === 'planner')?.userId as string;

const { db, client } = await createPglite({
  loadDataDir: new Blob([readFileSync(new URL('../public/demo/pgdata.tar.gz', import.meta.url))]),
});
// The demo's database may predate the newest migrations (the app brings it up to date at boot).
await migrate(client, readMigrations());
const seeded = performance.now();
// The demo's places copied to ROWS places (positions, cells, categories kept; new ids and names).
await db.exec(`
  create temp table demo_places as
    select e.*, (row_number() over (order by e.id) - 1)::int k from entities e where e.kind = 'place';
  alter table entities disable trigger entities_assign_cell;
  insert into entities (kind, external_id, name, category, risk_level, attributes, geom, cell_code, community_code)
  select 'place', 'BP' || lpad(g::text, 8, '0'), d.name || '#' || g, d.category, d.risk_level, d.attributes, d.geom, d.cell_code, d.community_code
  from generate_series(1, ${ROWS}) g
  join demo_places d on d.k = g % (select count(*) from demo_places);
  alter table entities enable trigger entities_assign_cell;
  analyze entities;
`);
const places = (await db.query<{ n: number }>(`select count(*)::int n from entities where kind = 'place'`)).rows[0]?.n ?? 0;
process.stderr.write(`seeded ${places.toLocaleString('en')} places in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);
await db.exec(
  `set role authenticated; select set_config('request.jwt.claims', '${JSON.stringify({ sub: PLANNER, role: 'authenticated' })}', false);`,
);

type Row = { id: string; lon: number; lat: number; props: Record<string, unknown> };
// GridAtlas: keyset pages, as the export dialog reads them.
const readStart = performance.now();
const rows: Row[] = [];
for (;;) {
  const { rows: r } = await db.query<{ r: Row[] }>('select export_points($1, $2, $3, $4) r', [
    'place',
    '{}',
    rows.at(-1)?.id ?? null,
    PAGE,
  ]);
  const page = r[0]?.r ?? [];
  rows.push(...page);
  if (page.length < PAGE) break;
}
const readMs = performance.now() - readStart;
const pages = Math.ceil(rows.length / PAGE);

// Naive: the same rows and columns paged with OFFSET (each page reads and skips the rows before it).
const offsetPage = async (page: number) => {
  const start = performance.now();
  const { rows: r } = await db.query<{ r: Row[] }>(
    `select coalesce(jsonb_agg(jsonb_build_object('id', q.id, 'lon', q.lon, 'lat', q.lat, 'props', q.props) order by q.id), '[]') r from (
       select e.external_id id, ST_X(e.geom) lon, ST_Y(e.geom) lat,
              jsonb_build_object('name', e.name, 'category', e.category, 'risk_level', e.risk_level,
                                 'address', coalesce(e.attributes ->> 'address', ''), 'cell_code', e.cell_code, 'community', e.community_code) props
       from entities e where e.kind = 'place' order by e.external_id offset $1 limit $2) q`,
    [page * PAGE, PAGE],
  );
  if ((r[0]?.r ?? []).length === 0) throw new Error(`page ${page} came back empty`);
  return performance.now() - start;
};
const samples = [0, 0.25, 0.5, 0.75, 0.99].map((f) => Math.floor(f * (pages - 1)));
const sampled: number[] = [];
for (const p of samples) sampled.push(await offsetPage(p));
// Pages at evenly spread offsets: their mean stands for a page, times the pages.
const offsetMs = (sampled.reduce((s, v) => s + v, 0) / sampled.length) * pages;
await db.exec('reset role');

// Writing the file, as the dialog's worker does.
const points = exportPointsOf(rows);
const write = async (label: string, fn: () => Promise<{ length: number }> | { length: number }) => {
  const start = performance.now();
  const out = await fn();
  return `${label} ${((performance.now() - start) / 1000).toFixed(1)} s (${(out.length / 1e6).toFixed(0)} MB)`;
};
const writes = [
  await write('CSV', () => pointsToCsv(points, 'wgs84')),
  await write('GeoJSON', () => pointsToGeoJson(points, 'wgs84')),
  await write('zipped shapefile', () => pointsToShapefileZip(points, 'wgs84', 'places')),
  await write('GeoPackage', () => pointsToGeoPackage(points, 'wgs84', 'places')),
];
process.stdout.write(
  [
    `export of ${rows.length.toLocaleString('en')} places as a planner (PGlite + PostGIS, demo places copied):`,
    `  read in ${pages} keyset pages of ${PAGE.toLocaleString('en')}: ${(readMs / 1000).toFixed(1)} s (${((readMs / rows.length) * 1000).toFixed(1)} µs a row)`,
    `  paged with OFFSET instead (pages ${samples.join(', ')} timed: ${sampled.map((m) => `${m.toFixed(0)} ms`).join(', ')}): about ${(offsetMs / 1000).toFixed(1)} s; ratio ${(offsetMs / readMs).toFixed(1)}×`,
    `  written: ${writes.join('; ')}\n`,
  ].join('\n'),
);
await db.close();
