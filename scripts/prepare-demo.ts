/**
 * Prepares the demo district for the app: writes the demo files and a PGlite data directory
 * (migrated, demo loaded) under public/demo/, so the browser boots from it instead of running
 * initdb and loading 60,000 rows itself. Skipped when nothing it depends on has changed.
 * `--cells N --out demo-N` writes a district of about N cells to public/demo-N/ instead (the
 * browser benchmark's 5,000 cells; the app reads it when built with VITE_DEMO_DIR=demo-N).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createPglite } from '../src/data/embedded/create-pglite';
import { loadDemo } from '../src/data/load-demo';
import { migrate } from '../src/data/migrate';
import { readMigrations } from '../src/data/read-migrations';
import { DEFAULT_DEMO_OPTIONS, generateDistrict } from '../src/demo/generate-district';
import { writeDemo } from '../src/demo/write-demo';

const root = new URL('..', import.meta.url).pathname;
const argument = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const targetCells = Number(argument('--cells') ?? DEFAULT_DEMO_OPTIONS.targetCells);
const folder = argument('--out') ?? 'demo';
if (!/^demo(-[a-z0-9]+)*$/.test(folder)) throw new Error(`--out must be a folder name like "demo-5000", got "${folder}"`);
const outDir = join(root, 'public', folder);
const manifestPath = join(outDir, 'manifest.json');
const inputs = [
  'scripts/prepare-demo.ts',
  'src/demo',
  'src/domain',
  'src/data/load-demo.ts',
  'src/data/demo-members.ts',
  'supabase/migrations',
  'package-lock.json',
];

function files(path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) => files(join(path, name)));
}

const hash = createHash('sha256');
hash.update(`cells ${targetCells}`);
for (const file of inputs.flatMap(files).sort()) {
  hash.update(relative(root, file));
  hash.update(readFileSync(file));
}
const digest = hash.digest('hex').slice(0, 16);

const current = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { hash?: string }) : {};
if (current.hash === digest && existsSync(join(outDir, 'pgdata.tar.gz')) && !process.argv.includes('--force')) {
  process.stdout.write(`demo district is up to date (${digest})\n`);
} else {
  const started = Date.now();
  process.stdout.write('generating the demo district …\n');
  const demo = generateDistrict({ seed: 1, targetCells });
  await writeDemo(demo, outDir);
  process.stdout.write('building the embedded database (PGlite + PostGIS) …\n');
  const { db, client } = await createPglite();
  const migrations = readMigrations();
  await migrate(client, migrations);
  const counts = await loadDemo(client, demo);
  await db.exec('vacuum analyze');
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'pgdata.tar.gz'), Buffer.from(await dump.arrayBuffer()));
  const coordinates = demo.district.features.flatMap((f) => f.geometry.coordinates.flat(2));
  const lngs = coordinates.map((c) => c[0] as number);
  const lats = coordinates.map((c) => c[1] as number);
  const manifest = {
    hash: digest,
    bbox: [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)],
    migrations: migrations.map((m) => m.version),
    counts,
    pgdataBytes: dump.size,
    generatedAt: new Date().toISOString(),
  };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(
    `demo district ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}, data dir ${(dump.size / 1e6).toFixed(1)} MB\n`,
  );
}
