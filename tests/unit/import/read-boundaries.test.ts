import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '../../../src/geo/crs-china';
import { cellsToShapefileZip } from '../../../src/geo/export-cells';
import { BoundaryFileError, readBoundaries, unzipShapefile } from '../../../src/import/read-boundaries';

const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const bytes = (text: string) => new TextEncoder().encode(text);

describe('readBoundaries', () => {
  it('reads GeoJSON polygons, converts GCJ-02 to WGS-84, and rejects what is not a polygon with the row and the reason', async () => {
    const file = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { 名称: '第一网格', 编码: '430199001001001' },
          geometry: { type: 'Polygon', coordinates: [square(112.9, 28.2, 0.001)] },
        },
        {
          type: 'Feature',
          properties: { 名称: '一条路' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [112.9, 28.2],
              [112.91, 28.2],
            ],
          },
        },
        { type: 'Feature', properties: { 名称: '投影坐标' }, geometry: { type: 'Polygon', coordinates: [square(500000, 3100000, 100)] } },
        { type: 'Feature', properties: { 名称: '无图形' }, geometry: null },
      ],
    };
    const read = await readBoundaries('cells.geojson', bytes(`\uFEFF${JSON.stringify(file)}`), 'gcj02');
    expect(read.format).toBe('geojson');
    expect(read.fields).toEqual(['名称', '编码']);
    expect(read.features).toHaveLength(1);
    const first = read.features[0]?.geometry.coordinates[0]?.[0]?.[0] as number[];
    const expected = gcj02ToWgs84([112.9, 28.2]);
    expect(first[0]).toBeCloseTo(expected[0], 12);
    expect(first[1]).toBeCloseTo(expected[1], 12);
    expect(read.rejected.map((r) => [r.row, r.field, r.reason])).toEqual([
      [2, 'geometry', 'feature 2 is a LineString, not a polygon'],
      [3, 'geometry', 'feature 3 has the coordinate 500000, 3100000, outside longitude/latitude (is it projected?)'],
      [4, 'geometry', 'feature 4 has no geometry'],
    ]);
    expect(read.rejected[0]?.geometry?.type).toBe('LineString');
  });

  it('reads a zipped shapefile with Chinese names (UTF-8 .cpg) and holes, as written by the export', async () => {
    const withHole: Polygon = { type: 'Polygon', coordinates: [square(112.9, 28.2, 0.01), square(112.903, 28.203, 0.002).reverse()] };
    const zip = cellsToShapefileZip(
      [{ code: '430199001001001', name: '牌楼社区第1网格', communityCode: '430199001001', class: 'A', households: 12, geometry: withHole }],
      'cells',
    );
    const read = await readBoundaries('网格.zip', zip, 'wgs84');
    expect(read.format).toBe('shapefile');
    expect(read.encoding).toBe('utf-8');
    expect(read.features[0]?.properties).toMatchObject({ code: '430199001001001', name: '牌楼社区第1网格', households: 12 });
    expect(read.features[0]?.geometry.coordinates[0]).toHaveLength(2);
  });

  it('refuses a shapefile in a projected system, a zip without a .shp, and files it cannot read, naming the file', async () => {
    const zip = unzipSync(cellsToShapefileZip([], 'cells'));
    zip['cells.prj'] = strToU8('PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]');
    await expect(readBoundaries('cells.zip', zipSync(zip), 'wgs84')).rejects.toThrow(
      'cells.zip: the .prj says CGCS2000_3_Degree_GK_CM_114E, a projected coordinate system',
    );
    await expect(readBoundaries('empty.zip', zipSync({ 'a.txt': strToU8('x') }), 'wgs84')).rejects.toThrow(
      'empty.zip holds no .shp file (found: a.txt)',
    );
    await expect(readBoundaries('bad.geojson', bytes('{"type":'), 'wgs84')).rejects.toThrow(/^bad.geojson is not JSON/);
    await expect(readBoundaries('bad.kml', bytes('<html></html>'), 'wgs84')).rejects.toThrow('bad.kml is not KML');
    await expect(readBoundaries('cells.dwg', bytes(''), 'wgs84')).rejects.toBeInstanceOf(BoundaryFileError);
  });

  it('refuses a zip bomb before unpacking it: a part that grows too much, too large a part or too large a whole', async () => {
    // 20 MB of zeros pack into a few kB: far more than a shapefile grows.
    const bomb = zipSync({ 'bomb.shp': new Uint8Array(20 * 2 ** 20), 'bomb.dbf': new Uint8Array(10) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    await expect(readBoundaries('bomb.zip', bomb, 'wgs84')).rejects.toThrow(
      /^bomb\.zip was not unpacked: bomb\.shp would grow \d+ times when unpacked, more than a shapefile does \(200\)$/,
    );
    const parts = zipSync({ 'a.shp': new Uint8Array(3000).map((_, i) => (i * 7919) % 251), 'a.dbf': new Uint8Array(3000).fill(1) });
    expect(() => unzipShapefile('big.zip', parts, { entryBytes: 2000, totalBytes: 1e9, ratio: 1e9 })).toThrow(
      'big.zip was not unpacked: a.shp would unpack to 3000 bytes, more than the 2000 bytes a part may have',
    );
    expect(() => unzipShapefile('big.zip', parts, { entryBytes: 1e9, totalBytes: 5000, ratio: 1e9 })).toThrow(
      'big.zip was not unpacked: its shapefile would unpack to more than 5000 bytes',
    );
    // Only the parts of a shapefile are unpacked.
    const withExtra = zipSync({ 'a.shp': new Uint8Array(10), 'readme.txt': new Uint8Array(10) });
    expect(Object.keys(unzipShapefile('x.zip', withExtra).entries)).toEqual(['a.shp']);
  });

  it('reads KML placemarks with their names, extended data and holes, and rejects points', async () => {
    const ring = (r: number[][]) => r.map((p) => p.join(',')).join(' ');
    const kml = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Placemark><name>东塘社区</name><ExtendedData><Data name="code"><value>430199001002</value></Data></ExtendedData>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>${ring(square(112.9, 28.2, 0.01))}</coordinates></LinearRing></outerBoundaryIs>
      <innerBoundaryIs><LinearRing><coordinates>${ring(square(112.903, 28.203, 0.002))}</coordinates></LinearRing></innerBoundaryIs></Polygon>
  </Placemark>
  <Placemark><name>路口</name><Point><coordinates>112.9,28.2</coordinates></Point></Placemark>
</Document></kml>`;
    const read = await readBoundaries('communities.kml', bytes(kml), 'wgs84');
    expect(read.features).toHaveLength(1);
    expect(read.features[0]?.properties).toMatchObject({ name: '东塘社区', code: '430199001002' });
    expect(read.features[0]?.geometry.coordinates[0]).toHaveLength(2);
    expect(read.rejected).toEqual([expect.objectContaining({ row: 2, reason: 'feature 2 is a Point, not a polygon' })]);
  });
});
