import type { LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JPEG_1PX, PNG_1PX } from '../../tests/fixtures/photos';
import { DEMO_RULE_SET } from '../demo/demo-rules';
import { classifyCells, classReason, type RuleSet } from '../domain/classify';
import { idCardCheckDigit } from '../domain/id-card';
import type { CellCode, CommunityCode } from '../domain/ids';
import { base64ToBytes, type CasePhoto } from '../domain/photos';
import type { PlatePage, PlateSheetEntry } from '../domain/plates';
import { randomKey } from '../domain/random-key';
import { moveSharedVertices } from '../geo/move-shared-vertex';
import type { Backend, BackendError, CellClassInputs, EntityDetail, PointDetail } from './backend';
import { DEMO_MEMBERS } from './demo-members';

/** Returns a line from west of a cell to east of it through the middle of its box. */
function lineAcross(geometry: MultiPolygon): LineString {
  const ring = geometry.coordinates[0]?.[0] ?? [];
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  const y = (Math.min(...ys) + Math.max(...ys)) / 2;
  return {
    type: 'LineString',
    coordinates: [
      [Math.min(...xs) - 0.001, y],
      [Math.max(...xs) + 0.001, y],
    ],
  };
}

/** A cell as the contract's edits need it: code, version, community and shape. */
type ContractCell = { code: CellCode; version: number; communityCode: CommunityCode; geometry: MultiPolygon };

const key = (p: Position) => `${p[0]},${p[1]}`;
const ringOf = (g: MultiPolygon) => (g.coordinates[0]?.[0] ?? []).slice(0, -1);

/** Returns two cells of one community that share an edge (two or more vertices). */
function neighbours(cells: readonly ContractCell[]): [ContractCell, ContractCell] {
  const byVertex = new Map<string, ContractCell[]>();
  for (const c of cells) for (const p of ringOf(c.geometry)) byVertex.set(key(p), [...(byVertex.get(key(p)) ?? []), c]);
  for (const a of cells)
    for (const b of cells) {
      if (a.code >= b.code || a.communityCode !== b.communityCode) continue;
      const shared = ringOf(a.geometry).filter((p) => byVertex.get(key(p))?.includes(b)).length;
      if (shared >= 2) return [a, b];
    }
  throw new Error('no neighbouring cells in one community');
}

/** A backend under test over the demo district, and how to dispose of it. */
export interface ContractSubject {
  backend: Backend;
  close(): Promise<void>;
}

/** Returns a number below 100 in Chinese numerals (40 → 四十, 11 → 十一). */
function chinese(n: number): string {
  const digits = '零一二三四五六七八九';
  if (n < 10) return digits[n] as string;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : digits[tens]}十${n % 10 === 0 ? '' : digits[n % 10]}`;
}

const member = (role: string) => {
  const m = DEMO_MEMBERS.find((x) => x.role === role);
  if (!m) throw new Error(`no demo member with role ${role}`);
  return m;
};

/**
 * The behaviour every Backend implementation must show on the demo district (seed 1), run
 * against each implementation: embedded PGlite, PostgreSQL, and Supabase over HTTP.
 */
export function backendContract(name: string, make: () => Promise<ContractSubject | null>): void {
  describe(`Backend contract: ${name}`, () => {
    let subject: ContractSubject | null = null;
    let backend: Backend;
    const signInAs = async (role: string) =>
      backend.kind === 'supabase'
        ? backend.signIn({ kind: 'password', email: `${role}@demo.gridatlas.local`, password: 'demo-password' })
        : backend.signIn({ kind: 'demo', userId: member(role).userId });

    beforeAll(async () => {
      subject = await make();
      if (subject) backend = subject.backend;
    });
    afterAll(async () => {
      await subject?.close();
    });

    it('signs in as the admin and reports the role', async (ctx) => {
      if (!subject) return ctx.skip();
      const session = await signInAs('admin');
      expect(session.role).toBe('admin');
      expect(session.userId).toBe(member('admin').userId);
    });

    it('gives the admin the district overview with every count', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const overview = await backend.getDistrictOverview();
      expect(overview.code).toBe('430199');
      expect(overview.counts.cells).toBeGreaterThan(500);
      expect(overview.counts.person).toBe(30_000);
      expect(overview.counts.event).toBe(20_000);
      const [w, s, e, n] = overview.bbox ?? [0, 0, 0, 0];
      expect(e - w).toBeGreaterThan(0.08);
      expect(n - s).toBeGreaterThan(0.06);
    });

    it('lists the current cells as GeoJSON with 15-digit codes and classes', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const cells = await backend.listCells();
      expect(cells.features.length).toBeGreaterThan(500);
      for (const f of cells.features) {
        expect(f.properties.code).toMatch(/^430199\d{9}$/);
        expect(['A', 'B', 'C']).toContain(f.properties.class);
        expect(f.geometry.type).toBe('MultiPolygon');
      }
    });

    it('explains a cell: class reason, area and counts by kind', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const cells = await backend.listCells();
      const code = cells.features[0]?.properties.code as CellCode;
      const detail = await backend.getCellDetail(code);
      expect(detail?.code).toBe(code);
      // The demo is classed by a saved rule set the classification panel lists.
      expect(JSON.parse(detail?.classReason ?? '{}')).toMatchObject({ rule: DEMO_RULE_SET.name, version: 1 });
      expect((await backend.listRuleSets()).map((r) => `${r.name} v${r.version}`)).toContain(`${DEMO_RULE_SET.name} v1`);
      expect(detail?.areaSquareMeters).toBeGreaterThan(10_000);
      expect(Object.keys(detail?.counts ?? {}).sort()).toEqual(['event', 'organisation', 'person', 'place', 'thing']);
      expect(await backend.getCellDetail('430199999999999' as CellCode)).toBeNull();
    });

    it('returns points as typed columns', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const events = await backend.listPoints('event');
      expect(events.ids.length).toBe(20_000);
      expect(events.lng).toBeInstanceOf(Float64Array);
      expect(events.time?.length).toBe(20_000);
      expect(events.severity.every((s) => s >= 1 && s <= 4)).toBe(true);
      expect(events.source?.length).toBe(20_000);
      expect(new Set(events.source)).toEqual(new Set(['grid_worker', 'camera', 'citizen', 'hotline', 'sensor', 'department']));
      const things = await backend.listPoints('thing');
      expect(things.ids.length).toBe(1_000);
      expect(things.time).toBeUndefined();
      expect(things.source).toBeUndefined();
    });

    it('shows a person in full to the admin, never to the planner (who gets only counts)', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const people = await backend.listPoints('person');
      const id = people.ids[0] as string;
      const asAdmin = (await backend.getPointDetail('person', id)) as EntityDetail;
      expect(asAdmin.personal?.idCardNumber).toMatch(/^\d{17}[\dX]$/);
      expect(asAdmin.personal?.masked).toBe(false);
      expect(asAdmin.attributes).toHaveProperty('birth_year');
      const residents = (await backend.getDistrictOverview()).counts.person;
      await signInAs('planner');
      expect(await backend.getPointDetail('person', id)).toBeNull();
      expect((await backend.listPoints('person')).ids).toEqual([]);
      expect((await backend.getDistrictOverview()).counts.person).toBe(residents);
    });

    it('shows the command centre personal fields masked', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const people = await backend.listPoints('person');
      const asCommand = (await backend.getPointDetail('person', people.ids[0] as string)) as EntityDetail;
      // Where people are, not who: the name masked, no birth year or gender.
      expect(asCommand.name).toMatch(/^[^*]\*+$/);
      expect(asCommand.attributes).not.toHaveProperty('birth_year');
      expect(asCommand.attributes).not.toHaveProperty('gender');
      expect(asCommand.personal?.masked).toBe(true);
      expect(asCommand.personal?.idCardNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(asCommand.personal?.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(asCommand.personal?.address).toMatch(/号\*\*\*$/);
    });

    it('limits a grid worker to their own cells', async (ctx) => {
      if (!subject) return ctx.skip();
      const session = await signInAs('worker');
      expect(session.role).toBe('worker');
      const cells = await backend.listCells();
      expect(cells.features.length).toBeGreaterThan(0);
      const communities = new Set(cells.features.map((f) => f.properties.communityCode));
      expect(communities.size).toBe(1);
      const events = await backend.listPoints('event');
      expect(events.ids.length).toBeGreaterThan(0);
      expect(events.ids.length).toBeLessThan(20_000);
      await signInAs('admin');
      const all = await backend.listPoints('event');
      const own = new Set(events.ids);
      const foreign = all.ids.find((id) => !own.has(id)) as string;
      await signInAs('worker');
      expect(await backend.getPointDetail('event', foreign)).toBeNull();
    });

    it('geocodes a Chinese address offline, whatever its spelling', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const people = await backend.listPoints('person');
      const person = (await backend.getPointDetail('person', people.ids[0] as string)) as EntityDetail;
      const address = person.personal?.address ?? '';
      // e.g. 湘麓区咸溪街道白丰巷40号3单元104室 → 湖南省长沙市湘麓区咸溪街道白丰巷四十号3单元104室
      const respelled = `湖南省长沙市${address.replace(/(\d+)号/, (_, n: string) => `${chinese(Number(n))}号`)}`;
      expect(respelled).not.toBe(address);
      await signInAs('worker');
      const [best] = await backend.geocodeAddress(respelled);
      expect(best?.score).toBe(1);
      expect(address.startsWith(best?.address ?? '-')).toBe(true);
      expect(best?.cellCode).toMatch(/^430199\d{9}$/);
      expect(await backend.geocodeAddress('   ')).toEqual([]);
    });

    it('imports things, then re-imports them without duplicates, reporting what changed', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const overview = await backend.getDistrictOverview();
      const [w, s, e, n] = overview.bbox ?? [0, 0, 0, 0];
      const rows = [1, 2, 3].map((k) => ({
        external_id: `IMPORT-T${k}`,
        name: `消防栓 ${k}`,
        category: '消防栓',
        risk_level: 0,
        lon: w + ((e - w) * k) / 4,
        lat: s + (n - s) / 2,
        attributes: { source: 'contract' },
      }));
      const progress: number[] = [];
      expect(await backend.importEntities('thing', rows, (done) => progress.push(done))).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
      expect(progress).toEqual([3]);
      expect(await backend.importEntities('thing', rows)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
      const moved = rows.map((r, k) => (k === 0 ? { ...r, name: '消防栓 1（更换）' } : r));
      expect(await backend.importEntities('thing', moved)).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
      expect((await backend.getDistrictOverview()).counts.thing).toBe(overview.counts.thing + 3);
    });

    it('lets a grid worker import people only into their own cells', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('worker');
      const cells = await backend.listCells();
      const own = cells.features[0]?.geometry.coordinates[0]?.[0] ?? [];
      // The mean of a cell's outer ring lies inside it: the demo cells are nearly rectangular.
      const lon = own.reduce((sum, p) => sum + (p[0] as number), 0) / own.length;
      const lat = own.reduce((sum, p) => sum + (p[1] as number), 0) / own.length;
      const person = (id: string, x: number, y: number) => ({
        external_id: id,
        name: '测试居民',
        category: '户籍人口',
        risk_level: 0,
        lon: x,
        lat: y,
        attributes: {},
        personal: { id_card_number: '11010519491231002X', phone: '13800000000', address: '枫楼巷1号' },
      });
      expect(await backend.importEntities('person', [person('IMPORT-P1', lon, lat)])).toMatchObject({ inserted: 1 });
      await expect(backend.importEntities('person', [person('IMPORT-P2', 112.99, 28.2)])).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('searches cells by code and name, areas by name, entities by name or id: only what the caller may see', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const cells = await backend.listCells();
      const cell = cells.features[5]?.properties as (typeof cells.features)[number]['properties'];
      const byCode = await backend.search(cell.code);
      expect(byCode[0]).toMatchObject({ kind: 'cell', id: cell.code, label: cell.name });
      expect(byCode[0]?.bbox[0]).toBeLessThan(byCode[0]?.bbox[2] as number);
      const community = cell.communityName as string;
      expect((await backend.search(community)).map((h) => `${h.kind} ${h.label}`)).toContain(`community ${community}`);
      // A LIKE wildcard typed in the box is taken literally.
      expect(await backend.search('%')).toEqual([]);
      // People: one in the grid worker's cells and one outside them.
      await signInAs('worker');
      const ownCodes = new Set((await backend.listCells()).features.map((f) => f.properties.code as string));
      await signInAs('admin');
      const people = await backend.listPoints('person');
      let inside: PointDetail | null = null;
      let outside: PointDetail | null = null;
      for (let i = 0; i < people.ids.length && !(inside && outside); i += 7) {
        const p = await backend.getPointDetail('person', people.ids[i] as string);
        if (p?.cellCode && ownCodes.has(p.cellCode)) inside ??= p;
        else if (p) outside ??= p;
      }
      if (!inside || !outside) throw new Error('need a person in and out of the worker cells');
      expect((await backend.search(outside.externalId))[0]).toMatchObject({ kind: 'person', id: outside.id, detail: outside.externalId });
      // A grid worker finds their own cells and the people in them, not the others.
      await signInAs('worker');
      const own = [...ownCodes][0] as string;
      expect((await backend.search(own))[0]).toMatchObject({ kind: 'cell', id: own });
      const foreign = cells.features.map((f) => f.properties.code).find((c) => !ownCodes.has(c)) as string;
      expect(await backend.search(foreign)).toEqual([]);
      expect((await backend.search(inside.externalId))[0]).toMatchObject({ kind: 'person', id: inside.id });
      expect(await backend.search(outside.externalId)).toEqual([]);
      await signInAs('admin');
    });

    it('knows people imported without an id by their ID card number, and keeps the number private', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const idCard = (body: string) => body + idCardCheckDigit(body);
      const person = (card: string, name: string) => ({
        external_id: '',
        name,
        category: '户籍人口',
        risk_level: 0,
        lon: 112.9,
        lat: 28.19,
        attributes: {},
        personal: { id_card_number: card, phone: '', address: '' },
      });
      const roster = [person(idCard('43019919900101001'), '无编号甲'), person(idCard('43019919851231002'), '无编号乙')];
      expect(await backend.importEntities('person', roster)).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
      // The same roster again: found by their numbers, nothing new.
      expect(await backend.importEntities('person', roster)).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
      const renamed = [{ ...(roster[0] as (typeof roster)[number]), name: '无编号甲（改名）' }];
      expect(await backend.importEntities('person', renamed)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
      await expect(backend.importEntities('person', [{ ...person('', '既无编号也无身份证') }])).rejects.toMatchObject({ code: 'invalid' });
      await expect(backend.importEntities('thing', [{ ...person('', '无编号部件'), personal: null }])).rejects.toMatchObject({
        code: 'invalid',
      });
    });

    it('splits a cell, refuses a stale edit with the fresh cell, undoes the split and keeps the history', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const cells = await backend.listCells();
      const cell = cells.features[10] as (typeof cells.features)[number];
      const line = lineAcross(cell.geometry);
      const seen = { code: cell.properties.code, version: cell.properties.version };
      const split = await backend.splitCell(seen, line, 'contract split');
      expect(split.operation).toBe('split');
      expect(split.cells.map((c) => c.code)).toContain(seen.code);
      expect(split.newCodes).toHaveLength(1);
      // The same edit again names a version that is gone: a conflict carrying the fresh cell.
      const stale = await backend.splitCell(seen, line, 'contract split').catch((e: unknown) => e);
      expect(stale).toMatchObject({ name: 'BackendError', code: 'conflict' });
      expect((stale as BackendError).fresh[0]).toMatchObject({ code: seen.code, version: seen.version + 1 });
      const edits = await backend.listCellEdits(5);
      expect(edits[0]).toMatchObject({ id: split.editId, operation: 'split', reason: 'contract split', undoable: true });
      const undo = await backend.revertCellEdit(split.editId);
      expect(undo).toMatchObject({ operation: 'undo', retiredCodes: split.newCodes });
      const history = await backend.getCellHistory(seen.code);
      expect(history.map((h) => h.operation)).toEqual([null, 'split', 'undo']);
      expect(history[1]?.geometry.type).toBe('MultiPolygon');
      await signInAs('planner');
      await expect(backend.revertCellEdit(undo.editId)).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('previews a split exactly as the database would make it, writing nothing, and fails where the edit would', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const cells = await backend.listCells();
      const cell = cells.features[14] as (typeof cells.features)[number];
      const line = lineAcross(cell.geometry);
      const before = (await backend.listCellEdits(1))[0]?.id ?? 0;
      const seen = { code: cell.properties.code, version: cell.properties.version };
      const preview = await backend.previewCellEdit({ operation: 'split', cell: seen, line });
      expect(preview.cells).toHaveLength(2);
      expect(preview.cells.filter((c) => c.isNew).map((c) => c.code)).toEqual(preview.newCodes);
      expect(preview.cells.reduce((s, c) => s + c.areaSquareMeters, 0)).toBeGreaterThan(0);
      expect(preview.cells.reduce((s, c) => s + c.households, 0)).toBe(cell.properties.households);
      // Nothing was written: same edits, same version; the real split gives the same codes.
      expect((await backend.listCellEdits(1))[0]?.id ?? 0).toBe(before);
      const split = await backend.splitCell(seen, line, 'contract preview');
      expect(split.newCodes).toEqual(preview.newCodes);
      await backend.revertCellEdit(split.editId);
      await expect(backend.previewCellEdit({ operation: 'split', cell: seen, line })).rejects.toMatchObject({ code: 'conflict' });
    });

    it('draws a new cell inside a cell, and asks before leaving one in two pieces', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const cells = await backend.listCells();
      const cell = cells.features[12] as (typeof cells.features)[number];
      const community = cell.properties.communityCode;
      const named = cells.features.filter((f) => f.properties.communityCode === community).map((f) => f.properties);
      const ring = cell.geometry.coordinates[0]?.[0] ?? [];
      const xs = ring.map((p) => p[0] as number);
      const ys = ring.map((p) => p[1] as number);
      const [x, y] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
      const box = (dx: number, dy: number): Polygon => ({
        type: 'Polygon',
        coordinates: [
          [
            [x - dx, y - dy],
            [x + dx, y - dy],
            [x + dx, y + dy],
            [x - dx, y + dy],
            [x - dx, y - dy],
          ],
        ],
      });
      // A band across the whole cell from north to south cuts it in two: confirm first.
      const band = box(0.00005, (Math.max(...ys) - Math.min(...ys)) * 0.7);
      await expect(backend.drawCell(community, band, named, 'contract draw')).rejects.toMatchObject({
        code: 'confirm',
        message: expect.stringContaining(`${cell.properties.code} (2 parts)`),
      });
      const drawn = await backend.drawCell(community, box(0.0002, 0.0002), named, 'contract draw');
      expect(drawn).toMatchObject({ operation: 'draw', retiredCodes: [] });
      expect(drawn.newCodes).toHaveLength(1);
      expect(drawn.cells.map((c) => c.code)).toContain(cell.properties.code);
      await backend.revertCellEdit(drawn.editId);
    });

    it('merges neighbours, hands a cell to a neighbour, moves a cell to the next community, moves a shared corner: each undone', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      expect(await backend.getSession()).toMatchObject({ role: 'admin' });
      const load = async (): Promise<ContractCell[]> =>
        (await backend.listCells()).features.map((f) => ({
          code: f.properties.code,
          version: f.properties.version,
          communityCode: f.properties.communityCode,
          geometry: f.geometry,
        }));
      const version = (c: ContractCell) => ({ code: c.code, version: c.version });
      const [a, b] = neighbours(await load());
      const merged = await backend.mergeCells([version(a), version(b)], 'contract merge');
      expect(merged.operation).toBe('merge');
      expect(merged.retiredCodes).toHaveLength(1);
      await backend.revertCellEdit(merged.editId);
      const [c, d] = neighbours((await load()).filter((x) => x.code !== a.code && x.code !== b.code));
      const handed = await backend.transferCell(version(c), version(d), 'contract transfer');
      expect(handed).toMatchObject({ operation: 'transfer', retiredCodes: [c.code] });
      await backend.revertCellEdit(handed.editId);

      // A cell on the border of its community with another community of the same street.
      const cells = await load();
      const byVertex = new Map<string, ContractCell[]>();
      for (const x of cells) for (const p of ringOf(x.geometry)) byVertex.set(key(p), [...(byVertex.get(key(p)) ?? []), x]);
      let move: { cell: ContractCell; to: CommunityCode } | null = null;
      for (const x of cells) {
        const others = ringOf(x.geometry).flatMap((p) => byVertex.get(key(p)) ?? []);
        const other = others.find(
          (o) =>
            o.communityCode !== x.communityCode &&
            o.communityCode.slice(0, 9) === x.communityCode.slice(0, 9) &&
            others.filter((q) => q === o).length >= 2,
        );
        if (other) {
          move = { cell: x, to: other.communityCode };
          break;
        }
      }
      if (!move) throw new Error('no cell on the border of two communities of one street');
      const moved = await backend.moveCell(version(move.cell), move.to, 'contract move');
      expect(moved.operation).toBe('move');
      expect(moved.newCodes[0]?.slice(0, 12)).toBe(move.to);
      await backend.revertCellEdit(moved.editId);

      // A corner shared by three or more cells of one community, moved a little: every cell on it follows.
      const fresh = await load();
      const corner = [...byVertex.entries()].find(([, on]) => on.length >= 3 && on.every((o) => o.communityCode === on[0]?.communityCode));
      if (!corner) throw new Error('no inner corner');
      const from = corner[0].split(',').map(Number) as [number, number];
      const to: [number, number] = [from[0] + 0.00002, from[1] + 0.00001];
      const shapes = moveSharedVertices(
        fresh.map((x) => ({ id: x.code, geometry: x.geometry })),
        [{ from, to }],
      );
      const reshaped = await backend.reshapeCells(
        shapes.map((m) => ({ ...version(fresh.find((x) => x.code === m.id) as ContractCell), geometry: m.geometry })),
        'contract reshape',
      );
      expect(reshaped.operation).toBe('reshape');
      expect(reshaped.cells.length).toBe(corner[1].length);
      await backend.revertCellEdit(reshaped.editId);
    });

    it('imports the cells of a community as they are (codes kept) and a community under its street, lists areas and demo members', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const streets = await backend.listAdminAreas('street');
      const communities = await backend.listAdminAreas('community');
      expect(streets.features.length).toBeGreaterThan(0);
      const community = communities.features[3] as (typeof communities.features)[number];
      expect(streets.features.map((f) => f.properties.code)).toContain(community.properties.parentCode);
      const members = await backend.listDemoMembers();
      expect(members.length === 0 || members.some((m) => m.role === 'worker')).toBe(true);
      // The community's cells again, as they are: one edit that keeps every code.
      const own = (await backend.listCells()).features.filter((f) => f.properties.communityCode === community.properties.code);
      const imported = await backend.importCells(
        own.map((f, i) => ({
          row: i + 1,
          code: f.properties.code,
          name: f.properties.name,
          communityCode: f.properties.communityCode,
          households: f.properties.households,
          geometry: f.geometry,
        })),
        own.map((f) => ({ code: f.properties.code, version: f.properties.version })),
        'contract import',
      );
      expect(imported.communities).toEqual([community.properties.code]);
      expect(imported.newCodes).toEqual([]);
      expect(imported.retiredCodes).toEqual([]);
      await backend.revertCellEdit(imported.editId);
      // The community's name, changed and changed back.
      const row = {
        row: 1,
        code: community.properties.code as CommunityCode,
        name: `${community.properties.name}（改）`,
        geometry: community.geometry,
      };
      expect(await backend.importCommunities([row])).toEqual({ inserted: 0, updated: 1 });
      expect((await backend.listAdminAreas('community')).features.find((f) => f.properties.code === row.code)?.properties.name).toBe(
        row.name,
      );
      expect(await backend.importCommunities([{ ...row, name: community.properties.name }])).toEqual({ inserted: 0, updated: 1 });
      // A manual class, cleared again: the class comes back from the rules.
      const cell = own[0]?.properties.code as CellCode;
      await backend.overrideCellClass(cell, 'A', '合同测试：人工');
      await backend.clearCellOverride(cell, '合同测试：交回规则');
      expect((await backend.getCellDetail(cell))?.classSource).toBe('rule');
      await signInAs('planner');
      await expect(backend.importCommunities([row])).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('classes cells by a saved rule set, keeps a manual class, and keeps the risk matrix', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('admin');
      const rules: RuleSet = { name: '合同测试', weights: { events: 1 }, normalize: 'rank', method: 'quantiles', A: 0.1, B: 0.2 };
      const saved = await backend.saveRuleSet(rules);
      expect(saved).toMatchObject({ name: '合同测试', version: 1 });
      expect((await backend.listRuleSets())[0]).toMatchObject({ id: saved.id, rules: { A: 0.1 } });
      const inputs = await backend.getCellClassInputs('2026-11-01T00:00:00+08:00', 90, null);
      expect(inputs.length).toBeGreaterThan(100);
      const manual = inputs[0] as CellClassInputs;
      await backend.overrideCellClass(manual.code, 'A', '合同测试：人工核定');
      const results = classifyCells(
        inputs.map((c) => ({ code: c.code, events: c.events })),
        rules,
      );
      const applied = await backend.applyCellClasses(
        saved.id,
        results.map((r) => ({ code: r.code as CellCode, class: r.class, reason: classReason(r, rules, saved.version) })),
      );
      expect(applied.keptManual).toBe(1);
      expect(applied.changed + applied.unchanged + applied.keptManual).toBe(inputs.length);
      expect((await backend.getCellClassHistory(manual.code))[0]).toMatchObject({ source: 'manual', toClass: 'A' });
      await backend.setRiskMatrixEntry({ category: '火灾隐患', risk: 'high', responsibility: 'high', note: '' });
      expect(await backend.listRiskMatrix()).toEqual([{ category: '火灾隐患', risk: 'high', responsibility: 'high', note: '' }]);
      await signInAs('planner');
      await expect(backend.overrideCellClass(manual.code, 'C', 'x')).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('round-trips an Open311 GeoReport v2 request: posted as the command centre, read back by id, services and status', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const services = await backend.open311Services();
      expect(services.map((s) => s.service_code)).toContain('占道经营');
      expect(services.find((s) => s.service_code === '占道经营')).toMatchObject({ type: 'realtime', metadata: false, group: '城市管理局' });
      const [posted] = await backend.open311PostRequest({
        service_code: '占道经营',
        lat: 28.19,
        long: 112.92,
        description: '12345 转来：夜市占道',
      });
      const id = posted?.service_request_id as string;
      expect(id).toMatch(/^AJ\d{8}$/);
      const [request] = await backend.open311Request(id);
      expect(request).toMatchObject({
        service_request_id: id,
        status: 'open',
        status_notes: 'reported',
        service_code: '占道经营',
        description: '12345 转来：夜市占道',
        lat: 28.19,
        long: 112.92,
      });
      expect(request?.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(request?.expected_datetime).not.toBeNull();
      // Our stages map onto open/closed, the stage in status_notes.
      const detail = (await backend.listCases({ text: id })).rows[0];
      await backend.transitionCase(detail?.id as string, 'reject', { note: '重复上报' });
      expect((await backend.open311Request(id))[0]).toMatchObject({ status: 'closed', status_notes: 'rejected', expected_datetime: null });
      const open = await backend.open311Requests({ service_code: '占道经营', status: 'open', start_date: '2026-01-01T00:00:00Z' });
      expect(open.every((r) => r.status === 'open' && r.service_code === '占道经营')).toBe(true);
      expect((await backend.open311Requests({ service_request_id: id }))[0]?.status).toBe('closed');
      await expect(backend.open311Requests({ status: 'pending' })).rejects.toMatchObject({ code: 'invalid' });
      // A planner reads requests but posts none; a grid worker does not see this one.
      await signInAs('planner');
      expect(await backend.open311Request(id)).toHaveLength(1);
      await expect(backend.open311PostRequest({ service_code: '占道经营', lat: 28.19, long: 112.92 })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await signInAs('worker');
      expect(await backend.open311Request(id)).toEqual([]);
    });

    it('runs a complaint: the citizen in full to command and the handling department (logged), the contact, the rating, the rates', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const report = {
        source: 'hotline' as const,
        category: '占道经营',
        severity: 2,
        description: '夜市占道',
        lngLat: [112.92, 28.19] as const,
      };
      await expect(
        backend.reportComplaint({ ...report, lngLat: [...report.lngLat] }, { name: '刘桂英', phone: '电话' }),
      ).rejects.toMatchObject({
        code: 'invalid',
      });
      const { id } = await backend.reportComplaint({ ...report, lngLat: [...report.lngLat] }, { name: '刘桂英', phone: '138-0731-5678' });
      expect(await backend.getCaseComplainant(id)).toMatchObject({
        name: '刘桂英',
        phone: '13807315678',
        masked: false,
        contactDeadlineAt: null,
      });
      await backend.transitionCase(id, 'register');
      await backend.transitionCase(id, 'dispatch', { departmentId: 'urban' });
      await signInAs('department');
      const shown = await backend.getCaseComplainant(id);
      expect(shown).toMatchObject({ name: '刘桂英', masked: false, canContact: true, canRate: false });
      expect(shown?.contactDeadlineAt).not.toBeNull();
      await backend.recordComplaintContact(id, '已电话联系');
      await expect(backend.recordComplaintContact(id, '再次联系')).rejects.toMatchObject({ code: 'invalid' });
      await backend.transitionCase(id, 'start');
      await backend.transitionCase(id, 'answer', { note: '已清理' });
      await signInAs('command');
      await backend.transitionCase(id, 'verify');
      expect((await backend.getCaseComplainant(id))?.canRate).toBe(true);
      expect(await backend.rateComplaint(id, { rating: 'dissatisfied', solved: false, note: '仍有摊位', reopen: true })).toMatchObject({
        state: 'in_progress',
      });
      const after = await backend.getCaseComplainant(id);
      expect(after?.ratings.map((r) => [r.rating, r.reopened])).toEqual([['dissatisfied', true]]);
      await signInAs('planner');
      expect(await backend.getCaseComplainant(id)).toBeNull();
      const rates = await backend.getComplaintRates('department', '2026-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      expect(rates.rules.responseWeight + rates.rules.resolutionWeight + rates.rules.satisfactionWeight).toBeCloseTo(1);
      expect(rates.rows.find((r) => r.key === 'urban')?.complaints).toBeGreaterThan(0);
      await expect(backend.setComplaintRateRules({ basicallySatisfiedWeight: 1 })).rejects.toMatchObject({ code: 'forbidden' });
      const cards = await backend.getScorecards('department', '2026-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      expect(cards.rules.map((r) => r.metric)).toContain('on_time_rate');
      expect(cards.rows.find((r) => r.key === 'urban')?.answered).toBeGreaterThan(0);
      await expect(backend.setScorecardRule('department', 'on_time_rate', 50)).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('keeps photos with the steps of a case: taken at the report and the answer, shown to who reads the case', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const jpeg = { name: '现场.jpg', mime: 'image/jpeg' as const, width: 1, height: 1, bytes: base64ToBytes(JPEG_1PX) };
      const png = { name: '近景.png', mime: 'image/png' as const, width: 1, height: 1, bytes: base64ToBytes(PNG_1PX) };
      const report = {
        source: 'camera' as const,
        category: '占道经营',
        severity: 2,
        description: '门口堆物',
        lngLat: [112.92, 28.19] as [number, number],
      };
      // Refused before anything is stored or uploaded: bytes that are not what they say, too many.
      await expect(backend.reportCase({ ...report, photos: [jpeg, { ...png, mime: 'image/jpeg' }] })).rejects.toMatchObject({
        code: 'invalid',
        message: expect.stringMatching(/photo 2/),
      });
      await expect(backend.reportCase({ ...report, photos: Array(7).fill(jpeg) })).rejects.toMatchObject({ code: 'invalid' });
      const { id } = await backend.reportCase({ ...report, photos: [jpeg, png] });
      await backend.transitionCase(id, 'register');
      await backend.transitionCase(id, 'dispatch', { departmentId: 'urban' });
      await signInAs('department');
      await backend.transitionCase(id, 'start');
      await backend.transitionCase(id, 'answer', { note: '已清理', photos: [{ ...jpeg, name: '清理后.jpg' }] });
      const photos = await backend.getCasePhotos(id);
      expect(photos.map((p) => [p.step, p.name, p.mime, p.size])).toEqual([
        [0, '现场.jpg', 'image/jpeg', jpeg.bytes.length],
        [0, '近景.png', 'image/png', png.bytes.length],
        [4, '清理后.jpg', 'image/jpeg', jpeg.bytes.length],
      ]);
      // The officer who signed for the case is its assignee, in the list and the filter.
      expect(await backend.listCaseAssignees()).toContainEqual(expect.objectContaining({ name: expect.any(String) }));
      const mine = await backend.listCases({ mine: true, text: (await backend.getCase(id))?.code as string });
      expect(mine.rows.map((r) => [r.id, r.assigneeName !== null])).toEqual([[id, true]]);
      // Supabase keeps them in Storage, the embedded database in its rows.
      expect(photos.every((p) => (p.storagePath !== null) === (backend.kind === 'supabase'))).toBe(true);
      await signInAs('planner');
      const image = await backend.getCasePhotoImage(photos[1] as CasePhoto);
      expect(new Uint8Array(await image.arrayBuffer())).toEqual(png.bytes);
      expect(image.type).toBe('image/png');
    });

    it('takes a report sent again with its key as the same case', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const report = {
        source: 'hotline' as const,
        category: '占道经营',
        severity: 2,
        description: '重发的上报',
        lngLat: [112.92, 28.19] as [number, number],
        key: randomKey(),
      };
      const first = await backend.reportCase(report);
      const again = await backend.reportCase(report);
      expect(again.id).toBe(first.id);
      expect(again.code).toBe(first.code);
    });

    it('takes a step sent again with its key once', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const { id } = await backend.reportCase({
        source: 'hotline',
        category: '占道经营',
        severity: 2,
        description: '重发的登记',
        lngLat: [112.92, 28.19],
      });
      const key = randomKey();
      const first = await backend.transitionCase(id, 'register', { key });
      const again = await backend.transitionCase(id, 'register', { key });
      expect(first.repeated).toBeUndefined();
      expect(again).toMatchObject({ state: 'registered', version: first.version, repeated: true });
      expect((await backend.getCase(id))?.trace.map((t) => t.action)).toEqual(['report', 'register']);
    });

    it("gives the command centre the live view: a case reported counts today and leads the feed; the worker's view is of their cells", async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const before = await backend.getLiveNow();
      const { id, code } = await backend.reportCase({
        source: 'hotline',
        category: '占道经营',
        severity: 2,
        description: '早市占道',
        lngLat: [112.92, 28.19],
      });
      const now = await backend.getLiveNow(10);
      expect(now.casesToday).toBe(before.casesToday + 1);
      expect(now.openCases).toBe(before.openCases + 1);
      expect(now.feed.length).toBeLessThanOrEqual(10);
      expect(now.feed.find((f) => f.caseId === id)).toMatchObject({
        kind: 'case',
        caseCode: code,
        action: 'report',
        lngLat: [112.92, 28.19],
      });
      expect(Date.parse(now.asOf)).toBeGreaterThanOrEqual(Date.parse(before.asOf));
      // The wall screen's streets: the case is in one of them, whose box holds it.
      const streets = await backend.getLiveStreets();
      expect(streets.length).toBeGreaterThan(0);
      expect(streets.reduce((n, s) => n + s.openCases, 0)).toBeLessThanOrEqual(now.openCases);
      const holding = streets.filter(({ bbox: [w, s, e, n] }) => w < 112.92 && 112.92 < e && s < 28.19 && 28.19 < n);
      expect(holding.length).toBeGreaterThan(0);
      await signInAs('worker');
      const worker = await backend.getLiveNow();
      expect(worker.openCases).toBeLessThan(now.openCases);
      // The grid worker's home: their own cells, whose open cases are theirs to see.
      const mine = await backend.getMyCells();
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.reduce((n, c) => n + c.openCases, 0)).toBeLessThanOrEqual(worker.openCases);
      // The risk governance stages of one of them, and of the district as the worker may read it.
      const stages = await backend.getRiskGovernance(mine[0]?.code ?? null, null, 90);
      expect(stages.scope).toMatchObject({ cellCode: mine[0]?.code, days: 90 });
      expect(Object.values(stages.assess.bySeverity).reduce((a, b) => a + b, 0)).toBe(stages.identify.events);
      expect((await backend.getRiskGovernance(null, null, 365)).assess.riskIndex).toBeNull();
    });

    it('raises alerts by the rules for the command centre, who acknowledges each once; others may not', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('command');
      const first = await backend.getAlerts();
      expect(first.rules.map((r) => r.kind)).toEqual(expect.arrayContaining(['case_overdue', 'cell_events']));
      // Any cell with an event in 90 days or a hazard site crosses so low a risk index.
      const rule = await backend.saveAlertRule({ kind: 'cell_risk', threshold: 0.001, windowHours: 24 });
      await expect(backend.saveAlertRule({ kind: 'cell_events', threshold: -1 })).rejects.toMatchObject({ code: 'invalid' });
      const now = await backend.getAlerts();
      const mine = now.alerts.filter((a) => a.ruleId === rule);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine[0]).toMatchObject({ kind: 'cell_risk', figures: { threshold: 0.001 } });
      await backend.acknowledgeAlert(mine[0]?.id as number);
      await expect(backend.acknowledgeAlert(mine[0]?.id as number)).rejects.toMatchObject({ code: 'conflict' });
      await backend.saveAlertRule({ id: rule, active: false });
      await signInAs('planner');
      await expect(backend.getAlerts()).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('prints a cell’s house plates, opens a plate and records a tenant moving in and out, by role', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('worker');
      const [cell] = await backend.getMyCells();
      const plates = await backend.getPlatesSheet({ cellCode: cell?.code as string });
      expect(plates.length).toBeGreaterThan(0);
      const plate = plates[0] as PlateSheetEntry;
      expect(plate).toMatchObject({ cellCode: cell?.code, workers: ['王芳'] });
      const page = (await backend.getPlatePage(plate.code)) as PlatePage;
      expect(page).toMatchObject({ address: plate.address, canRecord: true });
      const card = `43010419970315002${idCardCheckDigit('43010419970315002')}`;
      const moved = await backend.recordMoveIn(plate.code, { name: '孙可', idCardNumber: card, phone: '', room: '9单元909室' });
      await expect(
        backend.recordMoveIn(plate.code, { name: '孙可', idCardNumber: card, phone: '', room: '9单元909室' }),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(backend.recordMoveIn(plate.code, { name: '', idCardNumber: card, phone: '', room: '9单元909室' })).rejects.toMatchObject(
        { code: 'invalid' },
      );
      const after = (await backend.getPlatePage(plate.code)) as PlatePage;
      expect(after.people?.find((p) => p.id === moved.personId)).toMatchObject({ name: '孙可', room: '9单元909室', gender: '女' });
      await signInAs('planner');
      const counted = (await backend.getPlatePage(plate.code)) as PlatePage;
      expect(counted).toMatchObject({ people: null, residents: { total: after.residents?.total } });
      await expect(backend.recordMoveOut(plate.code, moved.personId)).rejects.toMatchObject({ code: 'forbidden' });
      await signInAs('worker');
      await backend.recordMoveOut(plate.code, moved.personId);
      expect((await backend.getPlatePage(plate.code))?.residents?.total).toBe(page.residents?.total);
      expect(await backend.getPlatePage('000000000000')).toBeNull();
    });

    it('exports a point layer in pages as the role allows: a grid worker their cells, planners no people', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('worker');
      const mine = new Set((await backend.getMyCells()).map((c) => c.code));
      const first = await backend.exportPoints('event', {}, null, 100);
      expect(first).toHaveLength(100);
      expect(first.every((r) => mine.has(String(r.props.cell_code)) && typeof r.lon === 'number')).toBe(true);
      const next = await backend.exportPoints('event', {}, first[99]?.id, 100);
      expect(String(next[0]?.id) > String(first[99]?.id)).toBe(true);
      await signInAs('planner');
      await expect(backend.exportPoints('person', {})).rejects.toMatchObject({ code: 'forbidden' });
      expect((await backend.exportPoints('place', {}, null, 10)).length).toBe(10);
    });

    it('gives the cells’ figures of a period: a grid worker their own cells, planners every cell with people counted', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('worker');
      const mine = (await backend.getMyCells()).map((c) => c.code).sort();
      const own = await backend.getCellFigures('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      expect(own.map((f) => f.code)).toEqual(mine);
      await signInAs('planner');
      const all = await backend.getCellFigures('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      expect(all.length).toBeGreaterThan(own.length);
      expect(all.reduce((n, f) => n + f.people, 0)).toBeGreaterThan(0);
      expect(all.reduce((n, f) => n + f.events, 0)).toBeGreaterThan(0);
      await expect(backend.getCellFigures('2100-01-01T00:00:00Z', '2000-01-01T00:00:00Z')).rejects.toMatchObject({ code: 'invalid' });
    });

    it('gives a zone’s stage times and complaint rates to every member, the same counts for each', async (ctx) => {
      if (!subject) return ctx.skip();
      await signInAs('worker');
      const mine = (await backend.getMyCells()).map((c) => c.code);
      const own = await backend.getZoneCaseFigures(mine, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      await signInAs('planner');
      expect(await backend.getZoneCaseFigures(mine, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')).toEqual(own);
      const district = await backend.getZoneCaseFigures(null, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      expect(district.complaints).toBeGreaterThanOrEqual(own.complaints);
      expect(district.stages.dispatched?.steps ?? 0).toBeGreaterThan(0);
      await expect(backend.getZoneCaseFigures(null, '2100-01-01T00:00:00Z', '2000-01-01T00:00:00Z')).rejects.toMatchObject({
        code: 'invalid',
      });
    });

    it('gives a signed-out caller nothing', async (ctx) => {
      if (!subject) return ctx.skip();
      const session = await backend.signOut();
      expect(session.role).toBe('anon');
      await expect(backend.listCells()).rejects.toMatchObject({ name: 'BackendError', code: 'forbidden' });
    });
  });
}
