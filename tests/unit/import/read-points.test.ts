import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../../src/geo/crs-china';
import { decodeText, textEncodingNamed } from '../../../src/import/decode-text';
import { locatePoints } from '../../../src/import/read-points';
import { readTable } from '../../../src/import/read-table';

type Crs = 'wgs84' | 'gcj02' | 'bd09';
const readCsvPoints = async (text: string, options: { lon?: string; lat?: string; crs: Crs }) =>
  locatePoints(await readTable(new TextEncoder().encode(text), 'points.csv'), options);
const readGeoJsonPoints = async (text: string, options: { crs: Crs }) =>
  locatePoints(await readTable(new TextEncoder().encode(text), 'points.geojson'), options);

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));

describe('decodeText', () => {
  it('reads UTF-8 and drops the byte-order mark', () => {
    expect(decodeText(new TextEncoder().encode('\uFEFF经度'))).toEqual({ text: '经度', encoding: 'utf-8' });
  });

  it('falls back to GBK, as Chinese Excel saves CSV', () => {
    // "名称,经度,纬度\n" and "消防栓" in GBK (checked with iconv).
    expect(decodeText(hex('c3fbb3c62cbeadb6c82cceb3b6c80a'))).toEqual({ text: '名称,经度,纬度\n', encoding: 'gbk' });
    expect(decodeText(hex('cffbb7c0cba8')).text).toBe('消防栓');
  });

  it('reads GBK that is also valid UTF-8 as GBK when that is the plausible reading (郑伟, not Hebrew and Greek)', () => {
    // "郑伟" in GBK is d6a3 ceb0, which UTF-8 reads as U+05A3 U+03B0.
    expect(decodeText(hex('d6a3ceb0'))).toEqual({ text: '郑伟', encoding: 'gbk' });
    expect(decodeText(hex('d6a3ceb02c3133383030303030303030'))).toEqual({ text: '郑伟,13800000000', encoding: 'gbk' });
    // Real UTF-8 Chinese stays UTF-8; so does plain ASCII.
    expect(decodeText(new TextEncoder().encode('郑伟,经度'))).toEqual({ text: '郑伟,经度', encoding: 'utf-8' });
    expect(decodeText(new TextEncoder().encode('id,lon'))).toEqual({ text: 'id,lon', encoding: 'utf-8' });
  });

  it('drops a UTF-8 byte-order mark before GBK text instead of garbling the first header', () => {
    expect(decodeText(hex('efbbbfc3fbb3c62cbeadb6c8'))).toEqual({ text: '名称,经度', encoding: 'gbk' });
  });

  it("reads in the user's encoding when one is chosen, whatever the guess", async () => {
    // 郑伟 in GBK, judged GBK; read as UTF-8 on request it is what UTF-8 makes of it.
    expect(decodeText(hex('d6a3ceb0'), 'utf-8')).toEqual({ text: '\u05a3\u03b0', encoding: 'utf-8' });
    expect(decodeText(new TextEncoder().encode('郑伟'), 'gbk').text).not.toBe('郑伟');
    expect(decodeText(hex('efbbbfc3fbb3c62cbeadb6c8'), 'gbk')).toEqual({ text: '名称,经度', encoding: 'gbk' });
    const guessed = await readTable(hex('c3fbb3c62cbeadb6c82cceb3b6c80a'), 'points.csv');
    expect([guessed.columns, guessed.encoding, guessed.encodingChosen]).toEqual([['名称', '经度', '纬度'], 'gbk', false]);
    // 名称,ab in GBK, read as UTF-8 on request: the Chinese header is lost to replacement characters.
    const chosen = await readTable(hex('c3fbb3c62c61620a'), 'points.csv', 'utf-8');
    expect([chosen.encoding, chosen.encodingChosen]).toEqual(['utf-8', true]);
    expect(chosen.columns[0]).toMatch(/^\ufffd+$/);
    expect(chosen.columns[1]).toBe('ab');
    const geojson = await readTable(new TextEncoder().encode('{"type":"FeatureCollection","features":[]}'), 'p.geojson', 'gbk');
    expect([geojson.encoding, geojson.encodingChosen]).toEqual(['gbk', true]);
  });

  it('reads UTF-8 longer than the sample it is judged on as UTF-8, a character cut at the sample’s end or not', () => {
    for (let pad = 0; pad < 9; pad++) {
      // A row is 9 bytes (井盖: 3 each): some of the nine paddings cut a character at 64 kB.
      const text = `${'x'.repeat(pad)}编号,名称\n${'B,井盖\n'.repeat(12_000)}`;
      expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    }
  });

  it('knows encodings by their usual names', () => {
    expect(['UTF-8', 'utf8', 'GBK', 'gb2312', 'GB18030', 'cp936', 'latin1'].map(textEncodingNamed)).toEqual([
      'utf-8',
      'utf-8',
      'gbk',
      'gbk',
      'gbk',
      'gbk',
      null,
    ]);
  });
});

describe('readCsvPoints', () => {
  it('finds Chinese coordinate column names in a GBK file', async () => {
    const { text } = decodeText(hex(`c3fbb3c62cbeadb6c82cceb3b6c80a${'cffbb7c0cba8'}2c3131322e392c32382e320a`));
    const table = await readCsvPoints(text, { crs: 'wgs84' });
    expect(table.columns).toEqual(['名称', '经度', '纬度']);
    expect(table.accepted).toEqual([{ row: 2, values: { 名称: '消防栓', 经度: '112.9', 纬度: '28.2' }, wgs84: [112.9, 28.2] }]);
  });

  it('keeps every bad row with its spreadsheet row number, field and reason', async () => {
    const csv = [
      'id,lon,lat',
      'a,112.9,28.2', // row 2: fine
      'b,,28.2', // row 3: empty longitude
      'c,abc,28.2', // row 4: not a number
      'd,112.9,95', // row 5: latitude out of range
      'e,2.35,48.85', // row 6: outside China
      'f,28.2,112.9', // row 7: swapped → latitude out of range
      'g,112.9', // row 8: too few fields
      'h,１１２.９,２８.２', // row 9: full-width digits are fine
    ].join('\n');
    const table = await readCsvPoints(csv, { crs: 'wgs84' });
    expect(table.accepted.map((r) => [r.row, r.values.id])).toEqual([
      [2, 'a'],
      [9, 'h'],
    ]);
    expect(table.accepted[1]?.wgs84).toEqual([112.9, 28.2]);
    expect(table.rejected.map(({ row, field, reason }) => ({ row, field, reason }))).toEqual([
      { row: 3, field: 'lon', reason: 'longitude is empty' },
      { row: 4, field: 'lon', reason: 'longitude "abc" is not a number' },
      { row: 5, field: 'lat', reason: 'latitude 95 is outside −90..90' },
      { row: 6, field: 'lon,lat', reason: 'position (2.35, 48.85) is outside China; are longitude and latitude swapped?' },
      { row: 7, field: 'lat', reason: 'latitude 112.9 is outside −90..90' },
      { row: 8, field: '', reason: 'has 2 fields, the header has 3' },
    ]);
    expect(table.rejected[0]?.values).toEqual({ id: 'b', lon: '', lat: '28.2' });
  });

  it('refuses a file without coordinate columns, naming what it looked for', async () => {
    await expect(readCsvPoints('id,name\n1,x', { crs: 'wgs84' })).rejects.toThrow(
      'no longitude column (looked for lon, lng, long, longitude, x, 经度); name it with --lon',
    );
    await expect(readCsvPoints('id,lon,lat\n', { lon: 'east', crs: 'wgs84' })).rejects.toThrow(
      'no column "east" (given with --lon); the columns are: id, lon, lat',
    );
    await expect(readCsvPoints('', { crs: 'wgs84' })).rejects.toThrow('the file is empty');
    await expect(readCsvPoints('lon,lat,lon\n1,2,3', { crs: 'wgs84' })).rejects.toThrow('column "lon" appears twice in the header');
  });

  it('converts GCJ-02 input to WGS-84', async () => {
    const wgs: [number, number] = [112.9, 28.2];
    const [gx, gy] = wgs84ToGcj02(wgs);
    const table = await readCsvPoints(`lng,lat\n${gx},${gy}`, { crs: 'gcj02' });
    const p = table.accepted[0]?.wgs84 ?? [0, 0];
    expect(p[0]).toBeCloseTo(112.9, 9);
    expect(p[1]).toBeCloseTo(28.2, 9);
  });
});

describe('readGeoJsonPoints', () => {
  it('takes points with their properties and rejects other geometries by feature number', async () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '井盖' }, geometry: { type: 'Point', coordinates: [112.9, 28.2] } },
        {
          type: 'Feature',
          properties: { name: '道路' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [112.9, 28.2],
              [113, 28.3],
            ],
          },
        },
        { type: 'Feature', properties: { name: '空' }, geometry: null },
      ],
    });
    const table = await readGeoJsonPoints(text, { crs: 'wgs84' });
    expect(table.columns).toEqual(['name', 'lon', 'lat']);
    expect(table.accepted.map((r) => r.values)).toEqual([{ name: '井盖', lon: '112.9', lat: '28.2' }]);
    expect(table.rejected.map(({ row, field, reason }) => ({ row, field, reason }))).toEqual([
      { row: 2, field: 'geometry', reason: 'is LineString, not a Point' },
      { row: 3, field: 'geometry', reason: 'is missing, not a Point' },
    ]);
  });

  it('refuses what is not a FeatureCollection', async () => {
    await expect(readGeoJsonPoints('{"type":"Feature"}', { crs: 'wgs84' })).rejects.toThrow('not a GeoJSON FeatureCollection');
    await expect(readGeoJsonPoints('{oops', { crs: 'wgs84' })).rejects.toThrow(/not valid JSON/);
  });
});
