/**
 * Load: events reported at 200 per second for 60 seconds into PostgreSQL + PostGIS with every
 * trigger and policy on, each report one request as PostgREST would run it (a transaction as the
 * signed-in member: role authenticated, JWT claims, the insert), sent on a schedule whatever the
 * answers (open loop: a slow answer does not slow the senders, it queues them), over loopback.
 * Nothing may be lost, every event must land in its cell; the latencies are printed (the README
 * quotes a quiet run: `npm run load`). LOAD_RATE and LOAD_SECONDS change the load.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { demoPostgres, type TestDatabase } from './databases';

const RATE = Number(process.env.LOAD_RATE ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
/** Connections, as a PostgREST pool would hold them. */
const CONNECTIONS = 10;
const CATEGORIES = ['占道经营', '环境污染', '治安隐患', '邻里纠纷', '市容环境'];

const member = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

/** One report as one request: the transaction PostgREST runs for the member, in one round trip. */
function reportSql(userId: string, id: string, lngLat: [number, number], k: number, at: Date): string {
  const claims = JSON.stringify({ sub: userId, role: 'authenticated' });
  return [
    'begin',
    'set local role authenticated',
    `select set_config('request.jwt.claims', '${claims}', true)`,
    `insert into events (external_id, category, severity, source, occurred_at, reported_by, geom)
     values ('${id}', '${CATEGORIES[k % CATEGORIES.length]}', ${1 + (k % 4)}, 'grid_worker', '${at.toISOString()}',
             '${userId}', ST_SetSRID(ST_MakePoint(${lngLat[0]}, ${lngLat[1]}), 4326))`,
    'commit',
  ].join(';\n');
}

const enabled = Boolean(process.env.DATABASE_URL);

(enabled ? describe : describe.skip)('event ingestion under load (PostgreSQL)', () => {
  let database: TestDatabase | null = null;
  let pool: pg.Pool | null = null;
  beforeAll(async () => {
    database = await demoPostgres();
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${(await database?.client.query<{ db: string }>('select current_database() db'))?.rows[0]?.db}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: CONNECTIONS });
  }, 300_000);
  afterAll(async () => {
    await pool?.end();
    await database?.close();
  });

  it(
    `takes ${RATE} reports a second for ${SECONDS} s as members (a grid worker in their cells, the administrator anywhere): none lost, each in its cell`,
    async () => {
      if (!database || !pool) throw new Error('database not ready');
      const db = database.client;
      // Where reports come from: positions of existing events, in the worker's cells and anywhere.
      const worker = member('worker');
      const admin = member('admin');
      const positions = async (sql: string, params: unknown[] = []) =>
        (await db.query<{ x: number; y: number }>(sql, params)).rows.map((r) => [r.x, r.y] as [number, number]);
      const own = await positions(
        `select ST_X(geom) x, ST_Y(geom) y from events where cell_code in (select cell_code from worker_cells where user_id = $1) limit 500`,
        [worker],
      );
      const anywhere = await positions(`select ST_X(geom) x, ST_Y(geom) y from events where cell_code is not null order by id limit 2000`);
      expect(own.length).toBeGreaterThan(0);
      const run = `LOAD-${process.pid}-${Date.now()}`;
      const total = RATE * SECONDS;
      const latencies: number[] = [];
      const failures: string[] = [];
      const started = performance.now();
      const sends: Promise<void>[] = [];
      for (let k = 0; k < total; k++) {
        const due = started + (k * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const byWorker = k % 5 === 0;
        const lngLat = byWorker ? (own[k % own.length] as [number, number]) : (anywhere[k % anywhere.length] as [number, number]);
        const sql = reportSql(byWorker ? worker : admin, `${run}-${k}`, lngLat, k, new Date());
        sends.push(
          pool.query(sql).then(
            () => {
              latencies.push(performance.now() - due);
            },
            (error: Error) => {
              failures.push(`${k}: ${error.message}`);
            },
          ),
        );
      }
      await Promise.all(sends);
      const elapsed = (performance.now() - started) / 1000;
      expect(failures).toEqual([]);
      const { rows } = await db.query<{ n: number; placed: number; by_worker: number }>(
        `select count(*)::int n, count(cell_code)::int placed, count(*) filter (where reported_by = $2)::int by_worker
         from events where external_id like $1`,
        [`${run}-%`, worker],
      );
      expect(rows[0]).toEqual({ n: total, placed: total, by_worker: Math.ceil(total / 5) });
      const sorted = [...latencies].sort((a, b) => a - b);
      process.stdout.write(
        `ingestion: ${total} reports at ${RATE}/s in ${elapsed.toFixed(1)} s (${(total / elapsed).toFixed(0)}/s achieved), ${CONNECTIONS} connections; ` +
          `latency from due time p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, ` +
          `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms; none lost, all in their cells\n`,
      );
    },
    (SECONDS + 240) * 1000,
  );
});
