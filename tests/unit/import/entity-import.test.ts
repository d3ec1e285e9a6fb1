import { describe, expect, it } from 'vitest';
import { guessKind, guessMapping, keyedByIdCard, missingFields, validateEntityRows } from '../../../src/import/entity-import';
import { readTable } from '../../../src/import/read-table';
import { xlsx } from './xlsx-fixture';

const csv = (text: string) => new TextEncoder().encode(text);

describe('readTable', () => {
  it('reads the first sheet of an XLSX workbook', async () => {
    const table = await readTable(
      xlsx([
        ['编号', '姓名', '经度', '纬度'],
        ['P1', '王芳', '112.9', '28.2'],
      ]),
      '人员.xlsx',
    );
    expect(table).toMatchObject({
      format: 'xlsx',
      columns: ['编号', '姓名', '经度', '纬度'],
      rows: [['P1', '王芳', '112.9', '28.2']],
      rowNumbers: [2],
    });
  });

  it('names a broken workbook', async () => {
    await expect(readTable(csv('not a zip'), 'x.xlsx')).rejects.toThrow(/not a readable XLSX workbook/);
  });

  it('reads GeoJSON points and marks features that are not points', async () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'W1' }, geometry: { type: 'Point', coordinates: [112.9, 28.2] } },
        { type: 'Feature', properties: { id: 'W2' }, geometry: { type: 'Polygon', coordinates: [] } },
      ],
    });
    const table = await readTable(csv(text), 'things.geojson');
    expect(table.columns).toEqual(['id', 'lon', 'lat']);
    expect(table.rows[0]).toEqual(['W1', '112.9', '28.2']);
    expect(table.rowProblems.get(1)).toEqual({ field: 'geometry', why: { code: 'not_point', params: { type: 'Polygon' } } });
  });

  it('skips blank lines but keeps spreadsheet row numbers', async () => {
    const table = await readTable(csv('id,name\n\nA,x\n,\nB,y\n'), 'a.csv');
    expect(table.rowNumbers).toEqual([3, 5]);
  });
});

describe('guessMapping', () => {
  it('maps Chinese and English headers to fields', () => {
    expect(guessMapping('person', ['编号', '姓名', '身份证号', '手机', '经度', '纬度', '住址', '备注'])).toMatchObject({
      external_id: '编号',
      name: '姓名',
      id_card_number: '身份证号',
      phone: '手机',
      lon: '经度',
      lat: '纬度',
      address: '住址',
    });
  });
});

describe('validateEntityRows', () => {
  it('keeps every broken row of a person file with the exact row, column and reason', async () => {
    const table = await readTable(
      csv(
        [
          '编号,姓名,性别,身份证号,手机,经度,纬度,住址,重点人员',
          'P1,王芳,女,11010519491231002X,138 0000 0000,112.9,28.2,枫楼巷1号,否', // 2 ok
          'P2,,男,,,112.9,28.2,,否', // 3 name empty
          'P1,李强,男,,,112.9,28.2,,否', // 4 duplicate id
          'P4,陈静,女,110105194912310021,,112.9,28.2,,否', // 5 wrong check digit
          'P5,张敏,X,,,112.9,28.2,,否', // 6 gender
          'P6,赵军,男,,phone,112.9,28.2,,否', // 7 phone
          'P7,周杰,男,,,abc,28.2,,否', // 8 longitude
          'P8,吴伟,男,,,2.35,48.85,,否', // 9 outside China
          'P9,郑艳,女,,,,,枫楼巷9号,是', // 10 needs geocoding
          'P10,孙涛,男,,,,,,否', // 11 nothing to locate
          'P11,钱明,男,,,112.9,28.2,,也许', // 12 key person
        ].join('\n'),
      ),
      'people.csv',
    );
    const result = validateEntityRows('person', table, guessMapping('person', table.columns), 'wgs84');
    expect(result.ready.map((r) => r.external_id)).toEqual(['P1']);
    expect(result.ready[0]).toMatchObject({
      lngLat: [112.9, 28.2],
      attributes: { gender: '女', key_person: false },
      personal: { id_card_number: '11010519491231002X', phone: '13800000000', address: '枫楼巷1号' },
    });
    expect(result.needsGeocoding.map((r) => [r.row, r.address])).toEqual([[10, '枫楼巷9号']]);
    expect(result.rejected.map(({ row, field, reason }) => ({ row, field, reason }))).toEqual([
      { row: 3, field: '姓名', reason: 'is empty' },
      { row: 4, field: '编号', reason: '"P1" appears again (first at row 2)' },
      { row: 5, field: '身份证号', reason: '"110105194912310021" has check character 1, expected X' },
      { row: 6, field: '性别', reason: '"X" is not 男 or 女' },
      { row: 7, field: '手机', reason: '"phone" is not a phone number' },
      { row: 8, field: '经度', reason: 'longitude "abc" is not a number' },
      { row: 9, field: '经度', reason: 'position (2.35, 48.85) is outside China; are longitude and latitude swapped?' },
      { row: 11, field: '经度', reason: 'has no coordinates and no address to geocode' },
      { row: 12, field: '重点人员', reason: '"也许" is not yes or no (是/否)' },
    ]);
    // Nothing is lost: every data row is ready, waiting for geocoding, or rejected.
    expect(result.ready.length + result.needsGeocoding.length + result.rejected.length).toBe(table.rows.length);
  });

  it('checks risk levels of places and converts BD-09 coordinates', async () => {
    const table = await readTable(csv('id,name,risk_level,lng,lat\nL1,网吧,2,112.91,28.21\nL2,加油站,5,112.91,28.21\n'), 'places.csv');
    const result = validateEntityRows('place', table, guessMapping('place', table.columns), 'bd09');
    expect(result.ready[0]?.risk_level).toBe(2);
    expect(result.ready[0]?.lngLat?.[0]).toBeLessThan(112.91);
    expect(result.rejected.map((r) => r.reason)).toEqual(['"5" is not a whole number from 0 to 3']);
  });

  it('asks for the required columns before reading any row', async () => {
    const table = await readTable(csv('a,b\n1,2\n'), 'x.csv');
    expect(() => validateEntityRows('thing', table, {}, 'wgs84')).toThrow('choose the columns for "external_id", "name", "lon"');
    expect(() => validateEntityRows('thing', table, { external_id: 'a', name: 'b' }, 'wgs84')).toThrow('choose the columns for "lon"');
  });

  it('reports every problem of a row, not only the first', async () => {
    const table = await readTable(csv('编号,姓名,身份证号,手机,经度,纬度\nP1,,110105194912310021,phone,abc,xyz\n'), 'people.csv');
    const [row] = validateEntityRows('person', table, guessMapping('person', table.columns), 'wgs84').rejected;
    expect(row?.problems.map((p) => [p.field, p.why.code])).toEqual([
      ['姓名', 'empty'],
      ['身份证号', 'id_card_check'],
      ['手机', 'phone'],
      ['经度', 'coordinate_not_number'],
      ['纬度', 'coordinate_not_number'],
    ]);
    // The first problem is also the row's own field and reason (as single-problem readers expect).
    expect([row?.field, row?.why.code]).toEqual(['姓名', 'empty']);
  });

  it('fills a person’s gender and birth from a valid ID card number where the file leaves them empty', async () => {
    const table = await readTable(
      csv(
        '编号,姓名,性别,出生年份,身份证号,经度,纬度\nP1,王芳,,,11010519491231002X,112.9,28.2\nP2,李强,男,1950,11010519491231002X,112.9,28.2\n',
      ),
      'people.csv',
    );
    const { ready } = validateEntityRows('person', table, guessMapping('person', table.columns), 'wgs84');
    expect(ready[0]?.attributes).toMatchObject({ gender: '女', birth_year: 1949, birth_date: '1949-12-31' });
    // What the file says stays as it says it.
    expect(ready[1]?.attributes).toMatchObject({ gender: '男', birth_year: 1950 });
  });

  it('knows people without an id by their ID card number, which must then be there and unique', async () => {
    const table = await readTable(
      csv('姓名,身份证号,经度,纬度\n王芳,11010519491231002X,112.9,28.2\n李强,,112.9,28.2\n陈静,11010519491231002x,112.9,28.2\n'),
      'roster.csv',
    );
    const mapping = guessMapping('person', table.columns);
    expect(mapping.external_id).toBeUndefined();
    expect(keyedByIdCard('person', mapping)).toBe(true);
    expect(missingFields('person', mapping)).toEqual([]);
    const result = validateEntityRows('person', table, mapping, 'wgs84');
    expect(result.ready.map((r) => [r.name, r.external_id])).toEqual([['王芳', '']]);
    expect(result.rejected.map((r) => [r.row, r.why.code])).toEqual([
      [3, 'no_key'],
      [4, 'duplicate_id_card'],
    ]);
  });
});

describe('missingFields', () => {
  it('names what still needs a column: the id (unless people are known by ID card), the name, a position', () => {
    expect(missingFields('thing', {})).toEqual(['external_id', 'name', 'lon']);
    expect(missingFields('person', { name: '姓名', address: '住址' })).toEqual(['external_id']);
    expect(missingFields('person', { name: '姓名', id_card_number: '身份证号', lon: '经度' })).toEqual(['lat']);
    expect(missingFields('place', { external_id: 'id', name: 'n', address: 'a' })).toEqual([]);
  });
});

describe('guessKind', () => {
  it('tells the kind a file lists from its header', () => {
    expect(guessKind(['姓名', '身份证号', '地址', '经度', '纬度'])).toBe('person');
    expect(guessKind(['单位名称', '统一社会信用代码', '地址'])).toBe('organisation');
    expect(guessKind(['部件编号', '部件类型', '经度', '纬度'])).toBe('thing');
    expect(guessKind(['场所名称', '场所类型', '地址'])).toBe('place');
  });

  it('is null when the header names no kind', () => {
    expect(guessKind(['id', 'name', 'lon', 'lat'])).toBeNull();
  });
});
