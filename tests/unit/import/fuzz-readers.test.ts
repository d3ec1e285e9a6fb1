/**
 * Fuzz tests of the file readers (fast-check): whatever bytes or structures a user's file holds,
 * a reader gives a correct result or a clear error of its own kind (TableError,
 * BoundaryFileError) — never a crash of another kind, never a hang (each property runs under
 * the test's time limit), never a row lost between "taken" and "rejected".
 */

import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cellsToShapefileZip } from '../../../src/geo/export-cells';
import { BoundaryFileError, readBoundaries } from '../../../src/import/read-boundaries';
import { locatePoints } from '../../../src/import/read-points';
import { readTable, TableError } from '../../../src/import/read-table';
import { xlsx } from './xlsx-fixture';

// FUZZ_RUNS raises the count for a longer hunt (e.g. FUZZ_RUNS=5000 npx vitest run fuzz-readers).
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 150) };

/** Resolves to the reader's result, or to its error when it is of the expected kind; anything else fails the property. */
async function resultOrClearError<T>(read: () => Promise<T>, kind: new (...args: never[]) => Error): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof kind && error.message.length > 0) return null;
    throw error;
  }
}

/** Text that a table may hold: digits, signs, separators, quotes, Chinese, full-width digits, line breaks. */
const cellText = fc.string({
  unit: fc.constantFrom(...'0123456789.-+eE,;"\'\n\r\t 经度纬度名称号１２３NaNInfinity=@'.split(''), ...['112.9', '28.2', '1e308', '-0']),
  maxLength: 12,
});

/** A coordinate as it may appear: in range, out of range, swapped, not finite or not a number. */
const coordinate = fc.oneof(
  fc.double({ min: 73, max: 136, noNaN: true }),
  fc.double({ min: 3, max: 54, noNaN: true }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e308, 0, -180, 95),
);

describe('table readers under fuzz', () => {
  it('CSV: any bytes give a table whose rows all have the header’s width, or a TableError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          cellText.map((t) => strToU8(t)),
        ),
        async (bytes) => {
          const table = await resultOrClearError(() => readTable(bytes, 'fuzz.csv'), TableError);
          if (!table) return;
          expect(table.rows.length).toBe(table.rowNumbers.length);
          for (const row of table.rows) expect(row.length).toBe(table.columns.length);
          expect(new Set(table.columns).size).toBe(table.columns.length);
        },
      ),
      RUNS,
    );
  });

  it('CSV points: every row is taken with a position in China or rejected with field and reason, none lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cellText, coordinate, coordinate), { maxLength: 30 }), async (rows) => {
        const text = ['name,lon,lat', ...rows.map(([n, lon, lat]) => `"${n.replaceAll('"', '""')}",${lon},${lat}`)].join('\n');
        const table = await resultOrClearError(() => readTable(strToU8(text), 'points.csv'), TableError);
        if (!table) return;
        const located = locatePoints(table, { crs: 'wgs84' });
        expect(located.accepted.length + located.rejected.length).toBe(table.rows.length);
        for (const row of located.accepted) {
          expect(row.wgs84[0]).toBeGreaterThanOrEqual(73);
          expect(row.wgs84[0]).toBeLessThanOrEqual(136);
          expect(row.wgs84[1]).toBeGreaterThanOrEqual(3);
          expect(row.wgs84[1]).toBeLessThanOrEqual(54);
        }
        for (const r of located.rejected) expect(r.row).toBeGreaterThan(1);
      }),
      RUNS,
    );
  });

  it('GeoJSON points: any JSON gives a table or a TableError; features that are not points are kept as rejected rows', async () => {
    const geometry = fc.oneof(
      fc.record({ type: fc.constant('Point'), coordinates: fc.array(coordinate, { maxLength: 3 }) }),
      fc.record({ type: fc.constantFrom('Polygon', 'LineString', 'Nope'), coordinates: fc.jsonValue({ maxDepth: 2 }) }),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const feature = fc.oneof(
      fc.record({
        type: fc.constant('Feature'),
        properties: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })),
        geometry,
      }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const file = fc.oneof(
      fc.record({ type: fc.constant('FeatureCollection'), features: fc.array(feature, { maxLength: 8 }) }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(file, async (json) => {
        const table = await resultOrClearError(() => readTable(strToU8(JSON.stringify(json) ?? ''), 'points.geojson'), TableError);
        if (!table) return;
        for (const row of table.rows) expect(row.length).toBe(table.columns.length);
        const located = await resultOrClearError(async () => locatePoints(table, { crs: 'wgs84' }), TableError);
        if (located) expect(located.accepted.length + located.rejected.length).toBe(table.rows.length);
      }),
      RUNS,
    );
  });

  it('XLSX: any sheet of text gives its rows; any damaged workbook a TableError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            cellText.filter((t) => !/[\r]/.test(t)),
            { minLength: 1, maxLength: 4 },
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }))),
        async (rows, damage) => {
          const bytes = xlsx(rows);
          if (damage) bytes[damage[0] % bytes.length] = damage[1];
          const table = await resultOrClearError(() => readTable(bytes, 'sheet.xlsx'), TableError);
          if (!table) return;
          for (const row of table.rows) expect(row.length).toBe(table.columns.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('boundary readers under fuzz', () => {
  const square = (x: number, y: number) => [
    [
      [x, y],
      [x + 0.001, y],
      [x + 0.001, y + 0.001],
      [x, y + 0.001],
      [x, y],
    ],
  ];
  const shapefile = cellsToShapefileZip(
    [0, 1, 2].map((k) => ({
      code: `43019900200500${k}`,
      name: `第${k}网格`,
      communityCode: '430199002005',
      class: 'C',
      households: 10 + k,
      geometry: { type: 'Polygon', coordinates: square(112.9 + k * 0.001, 28.2) },
    })),
  );

  /** Checks what every successful read promises: each feature taken or rejected, taken ones finite WGS-84 multipolygons. */
  const checkBoundaries = (file: Awaited<ReturnType<typeof readBoundaries>>, count?: number) => {
    if (count !== undefined) expect(file.features.length + file.rejected.length).toBe(count);
    for (const f of file.features) {
      expect(f.geometry.type).toBe('MultiPolygon');
      for (const polygon of f.geometry.coordinates)
        for (const ring of polygon) {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          for (const [x, y] of ring)
            expect(Number.isFinite(x) && Number.isFinite(y) && Math.abs(x as number) <= 180 && Math.abs(y as number) <= 90).toBe(true);
        }
    }
    for (const r of file.rejected) expect(r.reason.length).toBeGreaterThan(0);
  };

  it('GeoJSON: any geometry is taken as a polygon, or rejected with its row and reason', async () => {
    const ring = fc.array(fc.tuple(coordinate, coordinate), { maxLength: 6 });
    const geometry = fc.oneof(
      fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(ring, { maxLength: 2 }) }),
      fc.record({ type: fc.constant('MultiPolygon'), coordinates: fc.array(fc.array(ring, { maxLength: 2 }), { maxLength: 2 }) }),
      fc.record({
        type: fc.constantFrom('Polygon', 'MultiPolygon', 'Point', 'GeometryCollection', 'x'),
        coordinates: fc.jsonValue({ maxDepth: 3 }),
      }),
      fc.record({ type: fc.constant('GeometryCollection'), geometries: fc.jsonValue({ maxDepth: 3 }) }),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant(null),
    );
    const features = fc.array(
      fc.record({
        type: fc.constant('Feature'),
        properties: fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 6 }))),
        geometry,
      }),
      { maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(
        features,
        fc.constantFrom('wgs84', 'gcj02', 'bd09') as fc.Arbitrary<'wgs84' | 'gcj02' | 'bd09'>,
        async (list, crs) => {
          const bytes = strToU8(JSON.stringify({ type: 'FeatureCollection', features: list }));
          const file = await resultOrClearError(() => readBoundaries('cells.geojson', bytes, crs), BoundaryFileError);
          if (file) checkBoundaries(file, list.length);
        },
      ),
      RUNS,
    );
  });

  it('any bytes named .geojson, .zip or .kml: a result or a BoundaryFileError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('x.geojson', 'x.zip', 'x.kml'), async (bytes, name) => {
        const file = await resultOrClearError(() => readBoundaries(name, bytes, 'wgs84'), BoundaryFileError);
        if (file) checkBoundaries(file);
      }),
      RUNS,
    );
  });

  it('a zipped Shapefile damaged anywhere (bytes changed, parts cut or dropped): a result or a BoundaryFileError', async () => {
    const parts = unzipSync(shapefile);
    const names = Object.keys(parts);
    const damage = fc.record({
      part: fc.constantFrom(...names),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.nat()),
      drop: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(damage, async ({ part, at, bytes, cut, drop }) => {
        const damaged: Record<string, Uint8Array> = {};
        for (const name of names) {
          const original = parts[name] as Uint8Array;
          if (name !== part) damaged[name] = original;
          else if (!drop || name.endsWith('.shp')) {
            const copy = original.slice(0, cut === null ? original.length : cut % (original.length + 1));
            copy.set(bytes.subarray(0, Math.max(0, copy.length - (at % (copy.length + 1)))), at % (copy.length + 1));
            damaged[name] = copy;
          }
        }
        const file = await resultOrClearError(() => readBoundaries('cells.zip', zipSync(damaged), 'wgs84'), BoundaryFileError);
        if (file) checkBoundaries(file);
      }),
      RUNS,
    );
  });

  it('KML: any placemarks and coordinate texts give polygons or rows rejected with a reason', async () => {
    const coordinates = fc
      .array(fc.tuple(coordinate, coordinate), { maxLength: 6 })
      .map((pts) => pts.map(([x, y]) => `${x},${y}`).join(' '));
    const text = fc.oneof(coordinates, cellText);
    const placemark = fc.record({
      name: fc.string({ maxLength: 6 }),
      outer: text,
      kind: fc.constantFrom('Polygon', 'Point', 'LineString'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(placemark, { maxLength: 5 }), async (marks) => {
        const escapeXml = (v: string) => v.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
        const body = marks
          .map((m) =>
            m.kind === 'Polygon'
              ? `<Placemark><name>${escapeXml(m.name)}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${escapeXml(m.outer)}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`
              : `<Placemark><name>${escapeXml(m.name)}</name><${m.kind}><coordinates>${escapeXml(m.outer)}</coordinates></${m.kind}></Placemark>`,
          )
          .join('');
        const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${body}</Document></kml>`;
        const file = await resultOrClearError(() => readBoundaries('cells.kml', strToU8(kml), 'wgs84'), BoundaryFileError);
        if (file) checkBoundaries(file);
      }),
      RUNS,
    );
  });
});
