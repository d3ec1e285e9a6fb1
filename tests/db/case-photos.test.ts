import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { JPEG_1PX, PNG_1PX, photo } from '../fixtures/photos';
import { actAs, failure, pointInWorkerCells, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';
import { insertStorageObject, installFakeStorage } from './fake-storage';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

interface PhotoRow {
  id: string;
  step: number;
  name: string;
  mime: string;
  width: number;
  height: number;
  size: number;
  storagePath: string | null;
}

const photosOf = async (tx: SqlClient, caseId: string) =>
  (await tx.query<{ p: PhotoRow[] }>('select case_photos($1) p', [caseId])).rows[0]?.p ?? [];

const dataOf = async (tx: SqlClient, photoId: string) =>
  (await tx.query<{ d: string | null }>('select case_photo_data($1) d', [photoId])).rows[0]?.d ?? null;

const countOf = async (tx: SqlClient, sql: string) => (await tx.query<{ n: number }>(`select (${sql})::int n`)).rows[0]?.n;

describeEachDatabase('cases: photos', (db) => {
  let elsewhere = { lon: 0, lat: 0 };
  let own = { lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    elsewhere = await pointInWorkerCells(db(), false);
    own = await pointInWorkerCells(db(), true);
  });

  /** Reports a case as the signed-in user with photos; returns its id. */
  const report = async (tx: SqlClient, at: { lon: number; lat: number }, photos: unknown) =>
    (
      await tx.query<{ id: string }>(`select (report_case('grid_worker', '占道经营', 2, '门口堆放杂物', $1, $2, null, $3) ->> 'id') id`, [
        at.lon,
        at.lat,
        JSON.stringify(photos),
      ])
    ).rows[0]?.id as string;

  it('a report and each later step keep their photos with the step, in order, bytes intact', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const caseId = await report(tx, own, [photo('门口.jpg'), photo('近景.png', PNG_1PX, 'image/png')]);
      await actAs(tx, id('command'));
      await step(tx, caseId, 'register');
      await tx.query(`select transition_case($1, 'dispatch', '', 'urban', null, $2)`, [caseId, JSON.stringify([])]);
      await actAs(tx, URBAN_OFFICER);
      await step(tx, caseId, 'start');
      await tx.query(`select transition_case(p_case => $1, p_action => 'answer', p_note => '已清理', p_photos => $2)`, [
        caseId,
        JSON.stringify([photo('清理后.jpg')]),
      ]);
      const photos = await photosOf(tx, caseId);
      expect(photos.map((p) => [p.step, p.name, p.mime, p.size, p.storagePath])).toEqual([
        [0, '门口.jpg', 'image/jpeg', 134, null],
        [0, '近景.png', 'image/png', Buffer.from(PNG_1PX, 'base64').length, null],
        [4, '清理后.jpg', 'image/jpeg', 134, null],
      ]);
      expect(await dataOf(tx, photos[1]?.id as string)).toBe(PNG_1PX);
      // The step the photos came with is the trace row at that place.
      const trace = (await tx.query<{ d: { trace: { action: string }[] } }>('select case_detail($1) d', [caseId])).rows[0]?.d.trace;
      expect(trace?.[4]?.action).toBe('answer');
      // A complaint takes photos too, and the step without photos (the callers before photos) still works.
      await actAs(tx, id('command'));
      const complaint = (
        await tx.query<{ id: string }>(
          `select (report_complaint('hotline', '占道经营', 2, '噪音', $1, $2, '刘桂英', '13807315678', $3) ->> 'id') id`,
          [elsewhere.lon, elsewhere.lat, JSON.stringify([photo('现场.jpg')])],
        )
      ).rows[0]?.id as string;
      expect((await photosOf(tx, complaint)).map((p) => p.name)).toEqual(['现场.jpg']);
    });
  });

  it('bad photos are refused by their place in the list and why, and the step is not taken', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const before = await countOf(tx, 'select count(*) from cases');
      const refused = async (photos: unknown) => (await failure(tx, () => report(tx, elsewhere, photos))).message;
      expect(await refused(Array.from({ length: 7 }, (_, k) => photo(`${k}.jpg`)))).toMatch(/at most 6 photos, not 7/);
      expect(await refused({ name: 'x' })).toMatch(/photos are a list/);
      expect(await refused([photo('a.jpg'), 'b.jpg'])).toMatch(/photo 2: not a photo/);
      expect(await refused([photo('a.jpg'), photo('b.jpg', PNG_1PX)])).toMatch(/photo 2: its bytes are not a image\/jpeg image/);
      expect(await refused([photo('a.gif', JPEG_1PX, 'image/gif')])).toMatch(/photo 1: "image\/gif" is not a kind of photo/);
      expect(await refused([{ ...photo('a.jpg'), width: 0 }])).toMatch(/photo 1: width and height .* not 0 × 1/);
      expect(await refused([{ ...photo('a.jpg'), height: 'tall' }])).toMatch(/photo 1: width and height .* not 1 × tall/);
      expect(await refused([{ ...photo('a.jpg'), data: '***' }])).toMatch(/photo 1: its data is not base64/);
      expect(await refused([{ ...photo('a.jpg'), path: 'uploads/x.jpg' }])).toMatch(/photo 1: give either its data .* or the path/);
      expect(await refused([{ ...photo('a.jpg'), name: '长'.repeat(201) }])).toMatch(/photo 1: the name is longer than 200/);
      const big = Buffer.alloc(2 * 1024 * 1024 + 1);
      Buffer.from(JPEG_1PX, 'base64').copy(big);
      expect(await refused([photo('big.jpg', big.toString('base64'))])).toMatch(/photo 1: 2\.0 MB is more than the 2 MB/);
      // Without Storage there is nowhere an upload could be.
      const path = `uploads/${id('command')}/0b6f3c1e-8d1a-4e55-9b7a-1c2d3e4f5a6b.jpg`;
      expect(await refused([{ name: 'a.jpg', mime: 'image/jpeg', width: 1, height: 1, path }])).toMatch(
        /photo 1: this database keeps no uploaded files/,
      );
      expect(await countOf(tx, 'select count(*) from cases')).toBe(before);
      // A refused step leaves the case where it was.
      const caseId = await report(tx, elsewhere, []);
      const stuck = await failure(tx, () =>
        tx.query(`select transition_case($1, 'register', '', null, null, $2)`, [caseId, JSON.stringify([photo('a.jpg', PNG_1PX)])]),
      );
      expect(stuck.message).toMatch(/photo 1/);
      expect((await tx.query<{ state: string }>('select state from cases where id = $1', [caseId])).rows[0]?.state).toBe('reported');
      expect(await countOf(tx, `select count(*) from case_trace where case_id = '${caseId}'`)).toBe(1);
    });
  });

  it('photos are append-only for everyone, the owner included, and written only with a step', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const caseId = await report(tx, elsewhere, [photo('a.jpg')]);
      expect(
        (
          await failure(tx, () =>
            tx.query(
              'insert into case_photos (case_id, trace_id, place, name, mime, width, height, size_bytes, bytes, created_by) select case_id, trace_id, 2, name, mime, width, height, size_bytes, bytes, created_by from case_photos',
            ),
          )
        ).code,
      ).toBe('42501');
      expect((await failure(tx, () => tx.query('select add_case_photos($1, 1, $2)', [caseId, '[]']))).code).toBe('42501');
      await tx.exec('reset role');
      for (const sql of [`update case_photos set name = 'b.jpg' where case_id = $1`, 'delete from case_photos where case_id = $1']) {
        expect((await failure(tx, () => tx.query(sql, [caseId]))).message).toMatch(/case_photos is a history/);
      }
    });
  });

  it('whoever reads the case sees its photos: the worker in their cells, its department, the command centre; others nothing', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const mine = await report(tx, own, [photo('own.jpg')]);
      const theirs = await report(tx, elsewhere, [photo('elsewhere.jpg')]);
      await step(tx, theirs, 'register');
      await step(tx, theirs, 'dispatch', '', 'urban');
      const seen = async (userId: string) => {
        await actAs(tx, userId);
        const names: string[] = [];
        for (const caseId of [mine, theirs]) {
          const photos = await photosOf(tx, caseId);
          for (const p of photos) if ((await dataOf(tx, p.id)) === JPEG_1PX) names.push(p.name);
        }
        return names;
      };
      expect(await seen(id('command'))).toEqual(['own.jpg', 'elsewhere.jpg']);
      expect(await seen(id('worker'))).toEqual(['own.jpg']);
      expect(await seen(URBAN_OFFICER)).toEqual(['elsewhere.jpg']);
      expect(await seen('00000000-0000-4000-8000-0000000000ff')).toEqual([]);
      await tx.exec('reset role');
      await tx.exec('set local role anon');
      expect((await failure(tx, () => tx.query('select case_photos($1)', [mine]))).code).toBe('42501');
    });
  });

  it('with Supabase Storage: members upload into their own folder, the step names the upload, who reads the case reads the file', async () => {
    await rolledBack(db(), async (tx) => {
      await installFakeStorage(tx);
      const bucket = (
        await tx.query<{ public: boolean; file_size_limit: string }>(`select * from storage.buckets where id = 'case-photos'`)
      ).rows[0];
      expect([bucket?.public, Number(bucket?.file_size_limit)]).toEqual([false, 2 * 1024 * 1024]);
      const worker = id('worker');
      const path = (userId: string, n: number, ext = 'jpg') => `uploads/${userId}/0b6f3c1e-8d1a-4e55-9b7a-1c2d3e4f5a6${n}.${ext}`;
      await actAs(tx, worker);
      await insertStorageObject(tx, 'case-photos', path(worker, 1), 134, 'image/jpeg');
      await insertStorageObject(tx, 'case-photos', path(worker, 2, 'png'), 95, 'image/png');
      await insertStorageObject(tx, 'case-photos', path(worker, 6), 95, 'image/png');
      // Not into someone else's folder, not a name of another shape; planners upload nothing.
      for (const name of [path(id('command'), 3), `uploads/${worker}/photo.jpg`, `${worker}/0b6f3c1e-8d1a-4e55-9b7a-1c2d3e4f5a63.jpg`]) {
        expect((await failure(tx, () => insertStorageObject(tx, 'case-photos', name, 134, 'image/jpeg'))).code).toBe('42501');
      }
      await actAs(tx, id('planner'));
      expect((await failure(tx, () => insertStorageObject(tx, 'case-photos', path(id('planner'), 4), 134, 'image/jpeg'))).code).toBe(
        '42501',
      );
      await actAs(tx, worker);
      const stored = (p: string, mime = 'image/jpeg') => ({ name: 'a', mime, width: 1, height: 1, path: p });
      const refused = async (photos: unknown) => (await failure(tx, () => report(tx, own, photos))).message;
      expect(await refused([stored(path(worker, 5))])).toMatch(/photo 1: nothing was uploaded at uploads\//);
      expect(await refused([stored(path(id('command'), 1))])).toMatch(/photo 1: ".*" is not an upload of yours/);
      expect(await refused([stored(path(worker, 2, 'png'), 'image/png'), stored(path(worker, 1), 'image/webp')])).toMatch(
        /photo 2: ".*" is not an upload of yours \(uploads\/<your id>\/<uuid>\.webp\)/,
      );
      expect(await refused([stored(path(worker, 2, 'jpg'))])).toMatch(/photo 1: nothing was uploaded/);
      expect(await refused([stored(path(worker, 6))])).toMatch(/photo 1: the upload is image\/png, not image\/jpeg/);
      const caseId = await report(tx, own, [stored(path(worker, 1))]);
      expect((await photosOf(tx, caseId)).map((p) => [p.storagePath, p.size])).toEqual([[path(worker, 1), 134]]);
      expect(await refused([stored(path(worker, 1))])).toMatch(/photo 1: .* belongs to a step already/);
      // The file is read by who reads the case (and its uploader); a department not dispatched to sees nothing.
      const sees = async (userId: string) => {
        await actAs(tx, userId);
        return countOf(tx, `select count(*) from storage.objects where name = '${path(worker, 1)}'`);
      };
      expect([await sees(worker), await sees(id('command')), await sees(id('planner')), await sees(URBAN_OFFICER)]).toEqual([1, 1, 1, 0]);
    });
  });
});
