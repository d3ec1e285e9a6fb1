import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBootSnapshot, readBootSnapshot } from '../../src/data/boot-snapshot';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { pgliteClient, runtimeExtensions } from '../../src/data/embedded/create-pglite';
import { rpcAsUser } from '../../src/data/rpc-as-user';
import { createRpcBackend } from '../../src/data/rpc-backend';
import { demoPglite, type TestDatabase } from './databases';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const DEMO = new URL('../../public/demo/', import.meta.url);

describe('boot snapshots: what the map shows each user before the database is up', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await demoPglite();
  });
  afterAll(async () => {
    await db.close();
  });
  const snapshotAs = (userId: string) =>
    readBootSnapshot(createRpcBackend('embedded', (u, fn, args) => rpcAsUser(db.client, u, fn, args), userId));

  it("the demo's shipped snapshot is the administrator's view of the shipped database", async () => {
    const shipped = parseBootSnapshot(readFileSync(new URL('snapshot.json', DEMO), 'utf8'), id('admin'));
    const live = await snapshotAs(id('admin'));
    expect(shipped).not.toBeNull();
    expect(shipped?.cells).toEqual(live.cells);
    expect(shipped?.communities).toEqual(live.communities);
    expect(shipped?.overview).toEqual(live.overview);
    expect(shipped?.session).toEqual(live.session);
  });

  it('a grid worker’s snapshot holds their own cells only', async () => {
    const worker = await snapshotAs(id('worker'));
    const { rows } = await db.client.query<{ n: number }>('select count(*)::int n from worker_cells where user_id = $1', [id('worker')]);
    expect(worker.session.role).toBe('worker');
    expect(worker.cells.features.length).toBe(rows[0]?.n);
    expect(worker.cells.features.length).toBeGreaterThan(0);
  });
});

describe("the browser's PostGIS bundle (runtime files only) on the shipped data directory", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create({
      loadDataDir: new Blob([readFileSync(new URL('pgdata.tar.gz', DEMO))], { type: 'application/gzip' }),
      extensions: runtimeExtensions(new URL('../../public/pglite/postgis.tar.gz', import.meta.url)),
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it('answers the spatial reads the app makes: geography areas, transforms, GeoJSON, intersections', async () => {
    const { rows } = await db.query<{ area: number; x: number; json: string; hits: number }>(`
      select ST_Area(geom::geography) area,
             ST_X(ST_Transform(ST_Centroid(geom), 3857)) x,
             ST_AsGeoJSON(geom, 7) json,
             (select count(*)::int from entities e where ST_Intersects(e.geom, c.geom)) hits
      from cells c where valid_to is null order by code limit 1`);
    expect(rows[0]?.area).toBeGreaterThan(10_000);
    expect(rows[0]?.x).toBeGreaterThan(12_500_000);
    expect(rows[0]?.json).toContain('MultiPolygon');
    expect(rows[0]?.hits).toBeGreaterThan(0);
  });

  it('runs the read functions as a user, as the app does', async () => {
    const detail = await rpcAsUser<{ areaSquareMeters: number } | null>(pgliteClient(db), id('admin'), 'cell_detail', {
      p_code: '430199001001001',
    });
    expect(detail?.areaSquareMeters).toBeGreaterThan(10_000);
  });
});
