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
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readBootSnapshot } from '../src/data/boot-snapshot';
import { DEMO_MEMBERS } from '../src/data/demo-members';
import { createPglite, POSTGIS_RUNTIME_FILES } from '../src/data/embedded/create-pglite';
import { filterTar, walSegmentNeeded } from '../src/data/embedded/filter-tar';
import { loadDemo } from '../src/data/load-demo';
import { migrate } from '../src/data/migrate';
import { readMigrations } from '../src/data/read-migrations';
import { rpcAsUser } from '../src/data/rpc-as-user';
import { createRpcBackend } from '../src/data/rpc-backend';
import { DEFAULT_DEMO_OPTIONS, generateDistrict } from '../src/demo/generate-district';
import { writeDemo } from '../src/demo/write-demo';

const root = new URL('..', import.meta.url).pathname;

// PostGIS for the browser: only what a database with the extension created needs (the browser
// never runs CREATE EXTENSION: it starts from the data directory built below).
const postgisSource = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz');
const postgisOut = join(root, 'public', 'pglite', 'postgis.tar.gz');
const newer = (a: string, b: string) => statSync(a).mtimeMs > statSync(b).mtimeMs;
if (!existsSync(postgisOut) || newer(postgisSource, postgisOut) || newer(join(root, 'scripts/prepare-demo.ts'), postgisOut)) {
  const bundle = filterTar(gunzipSync(readFileSync(postgisSource)), POSTGIS_RUNTIME_FILES);
  await mkdir(dirname(postgisOut), { recursive: true });
  await writeFile(postgisOut, gzipSync(bundle, { level: 6 }));
  process.stdout.write(`PostGIS for the browser: ${(statSync(postgisOut).size / 1e6).toFixed(1)} MB\n`);
}
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
  'src/data/load-demo-cases.ts',
  'src/data/embedded/filter-tar.ts',
  'src/data/demo-members.ts',
  'src/data/boot-snapshot.ts',
  'src/data/rpc.ts',
  'src/data/rpc-backend.ts',
  'src/data/rows.ts',
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
const outputs = ['pgdata.tar.gz', 'snapshot.json'];
if (current.hash === digest && outputs.every((f) => existsSync(join(outDir, f))) && !process.argv.includes('--force')) {
  process.stdout.write(`demo district is up to date (${digest})\n`);
} else {
  const started = Date.now();
  let lap = started;
  /** The seconds since the last step, for the summary: where a first start's time goes. */
  const step = () => {
    const now = Date.now();
    const seconds = ((now - lap) / 1000).toFixed(1);
    lap = now;
    return seconds;
  };
  process.stdout.write('generating the demo district …\n');
  const demo = generateDistrict({ seed: 1, targetCells });
  await writeDemo(demo, outDir);
  const generated = step();
  process.stdout.write('building the embedded database (PGlite + PostGIS) …\n');
  const { db, client } = await createPglite();
  const migrations = readMigrations();
  await migrate(client, migrations);
  const migrated = step();
  const counts = await loadDemo(client, demo);
  const loaded = step();
  // What the app shows the default user (the administrator) before its database is up: the
  // same reads it makes once it is, so that the first visit draws and inspects cells at once.
  const admin = DEMO_MEMBERS.find((m) => m.role === 'admin')?.userId ?? null;
  const snapshot = await readBootSnapshot(createRpcBackend('embedded', (u, fn, args) => rpcAsUser(client, u, fn, args), admin));
  await db.exec('vacuum analyze');
  // The data directory as the browser will keep it: without the spare WAL segments (64 MB of 140).
  await db.exec('checkpoint');
  const wal = (
    await db.query<{ redo: string; current: string }>(
      'select redo_wal_file as redo, pg_walfile_name(pg_current_wal_lsn()) as current from pg_control_checkpoint()',
    )
  ).rows[0];
  if (!wal) throw new Error('the database did not say where its WAL is');
  const tar = filterTar(new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer()), (path) =>
    walSegmentNeeded(path, wal.redo, wal.current),
  );
  // Level 6: within 1 % of level 9's size, in less than half the time (≈ 2 s against 4.5 s).
  const dump = new Blob([gzipSync(tar, { level: 6 })]);
  await db.close();
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'pgdata.tar.gz'), Buffer.from(await dump.arrayBuffer()));
  await writeFile(join(outDir, 'snapshot.json'), JSON.stringify(snapshot));
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
    `demo district ready in ${((Date.now() - started) / 1000).toFixed(1)} s (generated ${generated} s, migrated ${migrated} s, ` +
      `loaded and classed ${loaded} s, snapshot and data directory ${step()} s): ${JSON.stringify(counts)}, data dir ${(dump.size / 1e6).toFixed(1)} MB\n`,
  );
}
