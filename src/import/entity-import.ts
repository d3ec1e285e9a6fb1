import { checkIdCard } from '../domain/id-card';
import type { EntityKind, LngLat } from '../domain/ids';
import { type ChinaCrs, outOfChina, toWgs84 } from '../geo/crs-china';
import { parseCoordinate, type RejectedRow, rejected } from './read-points';
import type { RawTable } from './read-table';
import type { Reason } from './reasons';

/** A field an imported entity can have, the column names it is guessed from, and whether it is required. */
export interface EntityField {
  field: string;
  required: boolean;
  /** Header names (lower case) that map to this field without asking. */
  guesses: string[];
}

const COMMON: EntityField[] = [
  { field: 'external_id', required: true, guesses: ['id', 'external_id', '编号', '编码', '代码', 'code'] },
  { field: 'name', required: true, guesses: ['name', '名称', '姓名', '单位名称'] },
  { field: 'category', required: false, guesses: ['category', 'type', '类别', '类型', '分类'] },
  { field: 'lon', required: false, guesses: ['lon', 'lng', 'long', 'longitude', 'x', '经度'] },
  { field: 'lat', required: false, guesses: ['lat', 'latitude', 'y', '纬度'] },
  { field: 'address', required: false, guesses: ['address', '地址', '住址', '详细地址'] },
];

/** Fields per entity kind, in the order the mapping screen shows them. */
export const ENTITY_FIELDS: Record<EntityKind, EntityField[]> = {
  person: [
    ...COMMON,
    { field: 'gender', required: false, guesses: ['gender', 'sex', '性别'] },
    { field: 'birth_year', required: false, guesses: ['birth_year', '出生年份', '出生年'] },
    { field: 'id_card_number', required: false, guesses: ['id_card_number', 'id_card', '身份证号', '身份证号码', '公民身份号码'] },
    { field: 'phone', required: false, guesses: ['phone', 'mobile', 'tel', '电话', '手机', '手机号', '联系电话'] },
    { field: 'household_id', required: false, guesses: ['household_id', '户号'] },
    { field: 'key_person', required: false, guesses: ['key_person', '重点人员'] },
  ],
  place: [...COMMON, { field: 'risk_level', required: false, guesses: ['risk_level', 'risk', '风险等级'] }],
  thing: [...COMMON, { field: 'risk_level', required: false, guesses: ['risk_level', 'risk', '风险等级'] }],
  organisation: [
    ...COMMON,
    { field: 'risk_level', required: false, guesses: ['risk_level', 'risk', '风险等级'] },
    { field: 'credit_code', required: false, guesses: ['credit_code', '统一社会信用代码', '信用代码'] },
  ],
};

/** Which column holds each field (absent: the field is not in the file). */
export type ColumnMapping = Record<string, string | undefined>;

/** Returns the mapping guessed from the header names (case and surrounding spaces ignored). */
export function guessMapping(kind: EntityKind, columns: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const f of ENTITY_FIELDS[kind]) {
    mapping[f.field] = columns.find((c) => f.guesses.includes(c.trim().toLowerCase()));
  }
  return mapping;
}

/** An entity ready to write, as import_entities() takes it. */
export interface EntityImportRow {
  row: number;
  external_id: string;
  name: string;
  category: string;
  risk_level: number;
  /** WGS-84 position; null while it waits for its address to be geocoded. */
  lngLat: LngLat | null;
  address: string;
  attributes: Record<string, string | number | boolean>;
  /** Personal fields of a person (kept apart in the database). */
  personal: { id_card_number: string; phone: string; address: string } | null;
}

export interface ValidatedImport {
  /** Rows with a position, ready to write. */
  ready: EntityImportRow[];
  /** Rows without coordinates but with an address: to be geocoded before writing. */
  needsGeocoding: EntityImportRow[];
  rejected: RejectedRow[];
}

const YES = ['是', 'y', 'yes', 'true', '1', '√'];
const NO = ['否', 'n', 'no', 'false', '0', ''];

/**
 * Returns the rows of a table checked and converted for an entity kind: required fields present,
 * ids unique in the file, coordinates numbers inside China (converted from `crs` to WGS-84),
 * risk levels 0..3, ID card numbers with a valid check character, phone numbers of digits,
 * yes/no fields readable. Every row that fails is kept whole in `rejected`, with its row number,
 * the field and the reason; nothing is dropped or silently changed.
 */
export function validateEntityRows(
  kind: EntityKind,
  table: RawTable,
  mapping: ColumnMapping,
  crs: ChinaCrs,
  onProgress?: (done: number, total: number) => void,
): ValidatedImport {
  const result: ValidatedImport = { ready: [], needsGeocoding: [], rejected: [] };
  for (const f of ENTITY_FIELDS[kind]) {
    if (f.required && !mapping[f.field]) throw new Error(`choose the column for "${f.field}"`);
  }
  const hasCoordinates = Boolean(mapping.lon && mapping.lat);
  if (!hasCoordinates && !mapping.address) throw new Error('choose longitude and latitude columns, or an address column to geocode');
  const index = new Map(table.columns.map((c, i) => [c, i]));
  const firstRowOfId = new Map<string, number>();

  /** Checks one row; returns whether it was taken (ready or waiting for geocoding). */
  const checkRow = (cells: string[], i: number): boolean => {
    const row = table.rowNumbers[i] as number;
    const values: Record<string, string> = {};
    table.columns.forEach((c, k) => {
      values[c] = cells[k] ?? '';
    });
    const get = (field: string) => {
      const column = mapping[field];
      return column === undefined ? '' : (cells[index.get(column) ?? -1] ?? '').trim();
    };
    const reject = (field: string, why: Reason): false => {
      result.rejected.push(rejected(row, mapping[field] ?? field, why, values));
      return false;
    };
    const problem = table.rowProblems.get(i);
    if (problem) {
      result.rejected.push(rejected(row, problem.field, problem.why, values));
      return false;
    }
    const externalId = get('external_id');
    if (externalId === '') return reject('external_id', { code: 'empty' });
    const first = firstRowOfId.get(externalId);
    if (first !== undefined) return reject('external_id', { code: 'duplicate_id', params: { id: externalId, first } });
    firstRowOfId.set(externalId, row);
    const name = get('name');
    if (name === '') return reject('name', { code: 'empty' });

    let riskLevel = 0;
    if (mapping.risk_level && get('risk_level') !== '') {
      riskLevel = Number(get('risk_level'));
      if (!Number.isInteger(riskLevel) || riskLevel < 0 || riskLevel > 3)
        return reject('risk_level', { code: 'risk_level', params: { value: get('risk_level') } });
    }

    const attributes: Record<string, string | number | boolean> = {};
    let personal: EntityImportRow['personal'] = null;
    if (kind === 'person') {
      const gender = get('gender');
      if (gender !== '') {
        const g = { 男: '男', 女: '女', m: '男', f: '女', male: '男', female: '女' }[gender.toLowerCase()];
        if (!g) return reject('gender', { code: 'gender', params: { value: gender } });
        attributes.gender = g;
      }
      const birthYear = get('birth_year');
      if (birthYear !== '') {
        const y = Number(birthYear);
        if (!Number.isInteger(y) || y < 1900 || y > 2100) return reject('birth_year', { code: 'birth_year', params: { value: birthYear } });
        attributes.birth_year = y;
      }
      const idCard = get('id_card_number').toUpperCase();
      if (idCard !== '') {
        const bad = checkIdCard(idCard);
        if (bad) return reject('id_card_number', bad);
      }
      const phone = get('phone').replace(/[\s-]/g, '');
      if (phone !== '' && !/^\+?\d{7,15}$/.test(phone)) return reject('phone', { code: 'phone', params: { value: get('phone') } });
      const keyPerson = get('key_person').toLowerCase();
      if (mapping.key_person) {
        if (YES.includes(keyPerson)) attributes.key_person = true;
        else if (NO.includes(keyPerson)) attributes.key_person = false;
        else return reject('key_person', { code: 'yes_no', params: { value: get('key_person') } });
      }
      if (get('household_id') !== '') attributes.household_id = get('household_id');
      personal = { id_card_number: idCard, phone, address: get('address') };
    } else if (kind === 'organisation' && get('credit_code') !== '') {
      attributes.credit_code = get('credit_code');
    }
    if (kind !== 'person' && get('address') !== '') attributes.address = get('address');

    const entity: EntityImportRow = {
      row,
      external_id: externalId,
      name,
      category: get('category'),
      risk_level: riskLevel,
      lngLat: null,
      address: get('address'),
      attributes,
      personal,
    };
    const lonText = get('lon');
    const latText = get('lat');
    if (hasCoordinates && (lonText !== '' || latText !== '')) {
      const lon = parseCoordinate(lonText, 'longitude');
      if (typeof lon !== 'number') return reject('lon', lon);
      const lat = parseCoordinate(latText, 'latitude');
      if (typeof lat !== 'number') return reject('lat', lat);
      if (outOfChina([lon, lat])) return reject('lon', { code: 'outside_china', params: { lon, lat } });
      entity.lngLat = toWgs84([lon, lat], crs);
      result.ready.push(entity);
      return true;
    }
    if (entity.address !== '') {
      result.needsGeocoding.push(entity);
      return true;
    }
    return reject(hasCoordinates ? 'lon' : 'address', { code: 'no_location' });
  };
  for (let i = 0; i < table.rows.length; i++) {
    if (onProgress && i % 5_000 === 0) onProgress(i, table.rows.length);
    checkRow(table.rows[i] as string[], i);
  }
  return result;
}
