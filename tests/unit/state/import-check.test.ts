import { describe, expect, it } from 'vitest';
import type { EntityImportRow } from '../../../src/import/entity-import';
import { type ImportStage, importPlan, progressed, splitByArea } from '../../../src/state/import-check';
import type { TableSummary } from '../../../src/workers/import.worker';

const summary: TableSummary = {
  format: 'csv',
  encoding: 'utf-8',
  encodingChosen: false,
  columns: ['id', 'name', 'lon', 'lat'],
  rowCount: 3,
  preview: [],
};
const row = (n: number, lngLat: [number, number] | null = [112.9, 28.2]): EntityImportRow => ({
  row: n,
  external_id: `R${n}`,
  name: `第${n}行`,
  category: '',
  risk_level: 0,
  lngLat,
  address: '',
  attributes: {},
  personal: null,
});

describe('progressed', () => {
  it('moves a running check on', () => {
    const checking: ImportStage = { name: 'checking', summary, done: 0, total: 20, geocoding: false };
    expect(progressed(checking, 20, 20, false)).toMatchObject({ name: 'checking', done: 20, total: 20 });
  });

  it('never takes a finished check back to "checking" when its last progress arrives after its result', () => {
    const checked: ImportStage = {
      name: 'checked',
      summary,
      ready: [row(2)],
      outside: [],
      located: 0,
      review: [],
      rejectedRows: [],
      geocoderFailures: null,
    };
    expect(progressed(checked, 20, 20, false)).toBe(checked);
  });
});

describe('splitByArea and importPlan', () => {
  const located = [row(2), row(3, [116.4, 39.9]), row(4)];
  const { ready, outside } = splitByArea(located, Uint8Array.of(1, 0, 1));
  const stage: Extract<ImportStage, { name: 'checked' }> = {
    name: 'checked',
    summary,
    ready,
    outside: outside.map((r) => ({ row: r, values: { id: r.external_id, name: r.name, lon: '116.4', lat: '39.9' } })),
    located: 0,
    review: [],
    rejectedRows: [],
    geocoderFailures: null,
  };

  it('parts the rows in the user’s cells from those in none', () => {
    expect(ready.map((r) => r.row)).toEqual([2, 4]);
    expect(outside.map((r) => r.row)).toEqual([3]);
  });

  it('leaves the rows outside out by default, listed with their values and where they lie', () => {
    const plan = importPlan(stage, false, 'address', 'lon,lat');
    expect(plan.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(plan.rejectedRows).toMatchObject([
      { row: 3, field: 'lon,lat', why: { code: 'outside_area', params: { lon: 116.4, lat: 39.9 } }, values: { id: 'R3' } },
    ]);
  });

  it('imports them too when the user says so', () => {
    const plan = importPlan(stage, true, 'address', 'lon,lat');
    expect(plan.rows.map((r) => r.row)).toEqual([2, 4, 3]);
    expect(plan.rejectedRows).toEqual([]);
  });
});
