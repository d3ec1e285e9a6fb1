import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Backend } from '../../src/data/backend';
import { type DataChange, LIVE_TABLES } from '../../src/data/live-changes';
import { createSupabaseBackend } from '../../src/data/supabase/supabase-backend';
import { demoPglite, type TestDatabase } from './databases';
import { rolledBack } from './each-database';
import { type FakeRealtime, startFakeRealtime } from './fake-realtime';
import { fakeSupabaseFetch } from './fake-supabase';

// Supabase mode hears changes through Realtime: the channel joined as the signed-in user, bound
// to the live tables; each hears only the rows its policies let it read.
const URL = 'http://supabase.test';
let db: TestDatabase;
let realtime: FakeRealtime;
const backends: Backend[] = [];

async function signedIn(email: string): Promise<Backend> {
  const backend = createSupabaseBackend({
    url: URL,
    anonKey: 'anon-key',
    fetch: fakeSupabaseFetch(db.client),
    persistSession: false,
    webSocket: realtime.webSocket,
  });
  await backend.signIn({ kind: 'password', email, password: 'demo-password' });
  backends.push(backend);
  return backend;
}

const until = async (yes: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !yes(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!yes()) throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  db = await demoPglite();
  realtime = await startFakeRealtime(db.client, URL);
});
afterAll(async () => {
  for (const b of backends) await b.signOut().catch(() => undefined);
  await realtime.close();
  await db.close();
});

it('hears the cases committed by others through Realtime, as the signed-in user: a worker not those outside their cells', async () => {
  const command = await signedIn('command@demo.gridatlas.local');
  const worker = await signedIn('worker@demo.gridatlas.local');
  const heard: { command: DataChange[]; worker: DataChange[] } = { command: [], worker: [] };
  const stopCommand = command.subscribeChanges?.((c) => heard.command.push(c));
  const stopWorker = worker.subscribeChanges?.((c) => heard.worker.push(c));
  expect(stopCommand).toBeTypeOf('function');
  await until(() => realtime.joined().length === 2, 'two channels joined');
  const commandId = (await command.getSession()).userId;
  const joined = realtime.joined().find((c) => c.userId === commandId);
  expect(joined?.bindings.map((b) => b.table).sort()).toEqual(Object.keys(LIVE_TABLES).sort());
  expect(joined?.bindings.every((b) => b.schema === 'public' && b.event === '*')).toBe(true);

  // A case outside the worker's cells (112.92, 28.19 is not theirs in the demo), reported by the command centre.
  const { id } = await command.reportCase({
    source: 'hotline',
    category: '占道经营',
    severity: 2,
    description: '早市占道',
    lngLat: [112.92, 28.19],
  });
  expect(await realtime.publish('cases', { id })).toBe(1);
  await until(() => heard.command.length > 0, 'the command centre to hear the case');
  expect(heard.command[0]).toEqual({ topics: ['cases'], own: false });
  expect(heard.worker).toEqual([]);

  // One in a cell of theirs reaches them too.
  const { rows } = await db.client.query<{ lon: number; lat: number }>(
    `select ST_X(p) lon, ST_Y(p) lat from (select ST_PointOnSurface(c.geom) p from cells c join worker_cells w on w.cell_code = c.code
       where c.valid_to is null and w.user_id = $1 order by c.code limit 1) q`,
    [(await worker.getSession()).userId],
  );
  const inside = rows[0] as { lon: number; lat: number };
  const own = await command.reportCase({
    source: 'hotline',
    category: '占道经营',
    severity: 2,
    description: '门前堆物',
    lngLat: [inside.lon, inside.lat],
  });
  expect(await realtime.publish('cases', { id: own.id })).toBe(2);
  await until(() => heard.worker.length > 0, 'the worker to hear their case');
  expect(heard.worker[0]?.topics).toEqual(['cases']);

  // Stopped: the channels leave.
  stopCommand?.();
  stopWorker?.();
  await until(() => realtime.joined().length === 0, 'the channels to leave');
});

it("adds the live tables to Supabase's publication supabase_realtime where there is one", async () => {
  const lastBlock = (file: string) => {
    const migration = readFileSync(`supabase/migrations/${file}`, 'utf8');
    return migration.slice(migration.lastIndexOf('do $$'));
  };
  const block = lastBlock('20261202002100_live_now.sql');
  await rolledBack(db.client, async (tx) => {
    await tx.exec('create publication supabase_realtime');
    await tx.exec(block);
    // Twice: a table already there is left as it is.
    await tx.exec(block);
    await tx.exec(lastBlock('20261202002200_alerts.sql'));
    await tx.exec(lastBlock('20261202002300_patrols.sql'));
    const { rows } = await tx.query<{ tablename: string }>(
      `select tablename from pg_publication_tables where pubname = 'supabase_realtime' order by tablename`,
    );
    expect(rows.map((r) => r.tablename)).toEqual(Object.keys(LIVE_TABLES).sort());
  });
});
