import { checkIdCard, idCardFacts } from '../domain/id-card';
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
  /** Rows with a position, ready to write (people known by their ID card have an empty external_id). */
  ready: EntityImportRow[];
  /** Rows without coordinates but with an address: to be geocoded before writing. */
  needsGeocoding: EntityImportRow[];
  rejected: RejectedRow[];
}

const YES = ['是', 'y', 'yes', 'true', '1', '√'];
const NO = ['否', 'n', 'no', 'false', '0', ''];

/**
 * Header names that only one kind of entity has, to tell a file's kind from its header: a roster
 * of people has ID card numbers, an organisation list credit codes.
 */
const KIND_MARKERS: Record<EntityKind, string[]> = {
  person: [
    '姓名',
    '身份证号',
    '身份证号码',
    '公民身份号码',
    '性别',
    '出生日期',
    '出生年份',
    '户号',
    '民族',
    '手机号',
    '重点人员',
    'id_card_number',
    'gender',
  ],
  organisation: ['统一社会信用代码', '信用代码', '单位名称', '法定代表人', '法人', '组织名称', '机构名称', 'credit_code'],
  place: ['场所名称', '场所类型', '场所', '营业执照', '建筑面积'],
  thing: ['部件名称', '部件类型', '部件', '设施名称', '设施类型', '设备名称', '设备编号'],
};

/**
 * Returns the entity kind a file's header points to (the kind with the most marker columns), or
 * null when no header names a kind.
 * @example guessKind(['姓名', '身份证号', '经度', '纬度']) // 'person'
 */
export function guessKind(columns: readonly string[]): EntityKind | null {
  const names = columns.map((c) => c.trim().toLowerCase());
  let best: EntityKind | null = null;
  let bestScore = 0;
  for (const [kind, markers] of Object.entries(KIND_MARKERS) as [EntityKind, string[]][]) {
    const score = markers.filter((m) => names.includes(m)).length;
    if (score > bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Whether the rows of a people file are known by their ID card number instead of an id: when no
 * column is chosen for the id but one is for the ID card (the database then finds the person by
 * it, or gives a new person an id of its own, keeping the number private).
 */
export function keyedByIdCard(kind: EntityKind, mapping: ColumnMapping): boolean {
  return kind === 'person' && !mapping.external_id && Boolean(mapping.id_card_number);
}

/**
 * Returns the fields still to be given a column before a check can run: the required ones (the
 * id only where people are not known by their ID card), and a position, from coordinates or an
 * address. Empty when the mapping is complete.
 */
export function missingFields(kind: EntityKind, mapping: ColumnMapping): string[] {
  const missing = ENTITY_FIELDS[kind]
    .filter((f) => f.required && !mapping[f.field])
    .filter((f) => !(f.field === 'external_id' && keyedByIdCard(kind, mapping)))
    .map((f) => f.field);
  if (!(mapping.lon && mapping.lat) && !mapping.address) missing.push(mapping.lon ? 'lat' : 'lon');
  return missing;
}

/**
 * Returns the rows of a table checked and converted for an entity kind: required fields present,
 * ids (or, for people known by it, ID card numbers) unique in the file, coordinates numbers inside
 * China (converted from `crs` to WGS-84), risk levels 0..3, ID card numbers with a valid check
 * character, phone numbers of digits, yes/no fields readable. A person's gender and birth year
 * left empty are taken from a valid ID card number. Every row that fails is kept whole in
 * `rejected` with its row number and every problem it has (field and reason); nothing is dropped
 * or silently changed. Throws when the mapping misses a field (see missingFields).
 */
export function validateEntityRows(
  kind: EntityKind,
  table: RawTable,
  mapping: ColumnMapping,
  crs: ChinaCrs,
  onProgress?: (done: number, total: number) => void,
): ValidatedImport {
  const result: ValidatedImport = { ready: [], needsGeocoding: [], rejected: [] };
  const missing = missingFields(kind, mapping);
  if (missing.length > 0) throw new Error(`choose the columns for ${missing.map((f) => `"${f}"`).join(', ')}`);
  const byIdCard = keyedByIdCard(kind, mapping);
  const hasCoordinates = Boolean(mapping.lon && mapping.lat);
  const index = new Map(table.columns.map((c, i) => [c, i]));
  const firstRowOfKey = new Map<string, number>();

  const checkRow = (cells: string[], i: number): void => {
    const row = table.rowNumbers[i] as number;
    const values: Record<string, string> = {};
    table.columns.forEach((c, k) => {
      values[c] = cells[k] ?? '';
    });
    const get = (field: string) => {
      const column = mapping[field];
      return column === undefined ? '' : (cells[index.get(column) ?? -1] ?? '').trim();
    };
    const problems: { field: string; why: Reason }[] = [];
    const problem = (field: string, why: Reason) => problems.push({ field: mapping[field] ?? field, why });
    const fileProblem = table.rowProblems.get(i);
    if (fileProblem) {
      result.rejected.push(rejected(row, fileProblem.field, fileProblem.why, values));
      return;
    }

    const idCard = get('id_card_number').toUpperCase();
    const idCardProblem = kind === 'person' && idCard !== '' ? checkIdCard(idCard) : null;
    const externalId = get('external_id');
    if (byIdCard) {
      if (idCard === '') problem('id_card_number', { code: 'no_key' });
      else if (!idCardProblem) {
        const first = firstRowOfKey.get(idCard);
        if (first !== undefined) problem('id_card_number', { code: 'duplicate_id_card', params: { first } });
        else firstRowOfKey.set(idCard, row);
      }
    } else if (externalId === '') problem('external_id', { code: 'empty' });
    else {
      const first = firstRowOfKey.get(externalId);
      if (first !== undefined) problem('external_id', { code: 'duplicate_id', params: { id: externalId, first } });
      else firstRowOfKey.set(externalId, row);
    }
    const name = get('name');
    if (name === '') problem('name', { code: 'empty' });

    let riskLevel = 0;
    if (mapping.risk_level && get('risk_level') !== '') {
      riskLevel = Number(get('risk_level'));
      if (!Number.isInteger(riskLevel) || riskLevel < 0 || riskLevel > 3)
        problem('risk_level', { code: 'risk_level', params: { value: get('risk_level') } });
    }

    const attributes: Record<string, string | number | boolean> = {};
    let personal: EntityImportRow['personal'] = null;
    if (kind === 'person') {
      if (idCardProblem) problem('id_card_number', idCardProblem);
      // What the file leaves empty, a valid ID card number tells.
      const facts = idCard !== '' && !idCardProblem ? idCardFacts(idCard) : null;
      const gender = get('gender');
      if (gender !== '') {
        const g = { 男: '男', 女: '女', m: '男', f: '女', male: '男', female: '女' }[gender.toLowerCase()];
        if (!g) problem('gender', { code: 'gender', params: { value: gender } });
        else attributes.gender = g;
      } else if (facts) attributes.gender = facts.gender;
      const birthYear = get('birth_year');
      if (birthYear !== '') {
        const y = Number(birthYear);
        if (!Number.isInteger(y) || y < 1900 || y > 2100) problem('birth_year', { code: 'birth_year', params: { value: birthYear } });
        else attributes.birth_year = y;
      } else if (facts) attributes.birth_year = facts.birthYear;
      if (facts) attributes.birth_date = facts.birthDate;
      const phone = get('phone').replace(/[\s-]/g, '');
      if (phone !== '' && !/^\+?\d{7,15}$/.test(phone)) problem('phone', { code: 'phone', params: { value: get('phone') } });
      const keyPerson = get('key_person').toLowerCase();
      if (mapping.key_person) {
        if (YES.includes(keyPerson)) attributes.key_person = true;
        else if (NO.includes(keyPerson)) attributes.key_person = false;
        else problem('key_person', { code: 'yes_no', params: { value: get('key_person') } });
      }
      if (get('household_id') !== '') attributes.household_id = get('household_id');
      personal = { id_card_number: idCard, phone, address: get('address') };
    } else if (kind === 'organisation' && get('credit_code') !== '') {
      attributes.credit_code = get('credit_code');
    }
    if (kind !== 'person' && get('address') !== '') attributes.address = get('address');

    let lngLat: LngLat | null = null;
    const lonText = get('lon');
    const latText = get('lat');
    if (hasCoordinates && (lonText !== '' || latText !== '')) {
      const lon = parseCoordinate(lonText, 'longitude');
      const lat = parseCoordinate(latText, 'latitude');
      if (typeof lon !== 'number') problem('lon', lon);
      if (typeof lat !== 'number') problem('lat', lat);
      if (typeof lon === 'number' && typeof lat === 'number') {
        if (outOfChina([lon, lat])) problem('lon', { code: 'outside_china', params: { lon, lat } });
        else lngLat = toWgs84([lon, lat], crs);
      }
    } else if (get('address') === '') problem(hasCoordinates ? 'lon' : 'address', { code: 'no_location' });

    const [first, ...more] = problems;
    if (first) {
      result.rejected.push(rejected(row, first.field, first.why, values, more));
      return;
    }
    const entity: EntityImportRow = {
      row,
      external_id: byIdCard ? '' : externalId,
      name,
      category: get('category'),
      risk_level: riskLevel,
      lngLat,
      address: get('address'),
      attributes,
      personal,
    };
    if (lngLat) result.ready.push(entity);
    else result.needsGeocoding.push(entity);
  };
  for (let i = 0; i < table.rows.length; i++) {
    if (onProgress && i % 5_000 === 0) onProgress(i, table.rows.length);
    checkRow(table.rows[i] as string[], i);
  }
  return result;
}
