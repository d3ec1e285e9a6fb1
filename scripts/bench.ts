/**
 * Benchmarks (never a test gate): each measures GridAtlas's way against a naive baseline in the
 * same process and prints the ratio. Run with `npm run bench`.
 *
 * 1. Point transfer: `points_columns()` (columns of ids, coordinates, categories) against the
 *    naive GeoJSON FeatureCollection of the same events, on PGlite + PostGIS with the demo.
 * 2. Demo generation rate at scale (entities + events per second).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createPglite } from '../src/data/embedded/create-pglite';
import { generateDistrict } from '../src/demo/generate-district';

async function time<T>(fn: () => Promise<T>, runs: number): Promise<{ ms: number; result: T }> {
  let result = await fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < runs; i++) result = await fn();
  return { ms: (performance.now() - start) / runs, result };
}

const pgdata = new URL('../public/demo/pgdata.tar.gz', import.meta.url);
const { db } = await createPglite({ loadDataDir: new Blob([readFileSync(pgdata)]) });

const columns = await time(async () => JSON.stringify((await db.query<{ r: unknown }>(`select points_columns('event') r`)).rows[0]?.r), 5);
const naive = await time(
  async () =>
    JSON.stringify(
      (
        await db.query<{ r: unknown }>(
          `select jsonb_build_object('type', 'FeatureCollection', 'features', jsonb_agg(jsonb_build_object(
             'type', 'Feature', 'id', id,
             'properties', jsonb_build_object('category', category, 'severity', severity, 'occurred_at', occurred_at),
             'geometry', ST_AsGeoJSON(geom)::jsonb))) r from events`,
        )
      ).rows[0]?.r,
    ),
  5,
);
await db.close();

const lines = [
  'point transfer, 20,000 events (PGlite + PostGIS)',
  `  columns:  ${columns.ms.toFixed(1)} ms, ${(columns.result?.length ?? 0) / 1e6} MB`,
  `  GeoJSON:  ${naive.ms.toFixed(1)} ms, ${(naive.result?.length ?? 0) / 1e6} MB (naive baseline)`,
  `  ratio:    ${(naive.ms / columns.ms).toFixed(2)}× faster, ${((naive.result?.length ?? 0) / (columns.result?.length ?? 1)).toFixed(2)}× smaller`,
];

for (const scale of [1, 5]) {
  const start = performance.now();
  const demo = generateDistrict({ seed: 1, scale });
  const seconds = (performance.now() - start) / 1000;
  const rows = demo.people.length + demo.places.length + demo.things.length + demo.organisations.length + demo.events.length;
  lines.push(
    `demo generation, scale ${scale}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(2)} s (${Math.round(rows / seconds).toLocaleString('en')} rows/s)`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
