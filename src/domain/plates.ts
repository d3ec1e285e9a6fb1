import type { CaseState } from './cases';
import type { LngLat } from './ids';

/** One plate of a printed sheet: what the plate shows, never personal data. */
export interface PlateSheetEntry {
  /** Opaque code (12 hex digits) the QR carries. */
  code: string;
  address: string;
  kind: 'door' | 'building';
  /** Road, number and building (枫溪巷7号), the plate's large line; null when the gazetteer splits none. */
  door: string | null;
  cellCode: string | null;
  cellName: string | null;
  communityName: string | null;
  /** Display names of the cell's grid workers. */
  workers: string[];
}

/** A resident of a plate's address as the caller may see them. */
export interface PlateResident {
  id: string;
  /** In full for admins and the cell's grid worker; masked (王*) for the command centre. */
  name: string;
  category: string;
  keyPerson: boolean;
  householdId?: string;
  gender?: string;
  birthYear?: number;
  /** Unit and room (3单元104室); admins and the cell's grid worker only. */
  room?: string;
  /** When they moved in, for those the tenancy register holds. */
  movedInOn?: string;
}

/** A line of the tenancy register (租住登记). */
export interface Tenancy {
  id: string;
  personId: string | null;
  name: string;
  room: string;
  /** Null for a resident from before the register. */
  movedInOn: string | null;
  movedOutOn: string | null;
  recordedAt: string;
}

/** A house plate's page: what its QR opens. */
export interface PlatePage {
  code: string;
  issuedAt: string;
  address: string;
  kind: 'door' | 'building';
  lngLat: LngLat;
  cellCode: string | null;
  cellName: string | null;
  cellClass: string | null;
  communityName: string | null;
  streetName: string | null;
  workers: string[];
  /** Whether the caller records tenants moving in and out here (admins, the cell's grid worker). */
  canRecord: boolean;
  /** Counts; null for a grid worker of another cell. */
  residents: { total: number; households: number; floating: number; keyPersons: number } | null;
  /** Null for planners and grid workers of other cells (counts only). */
  people: PlateResident[] | null;
  namesMasked: boolean;
  entities: { id: string; kind: 'place' | 'organisation'; name: string; category: string; riskLevel: number }[];
  openCases: {
    id: string;
    code: string;
    category: string;
    state: CaseState;
    reportedAt: string;
    deadlineAt: string | null;
    meters: number;
  }[];
  /** Latest move first (50 at most); null unless canRecord. */
  tenancies: Tenancy[] | null;
}

/** A tenant moving in at a plate's address. */
export interface MoveIn {
  name: string;
  idCardNumber: string;
  phone: string;
  /** Unit and room, e.g. 3单元104室. */
  room: string;
  /** YYYY-MM-DD; today when absent. */
  movedInOn?: string;
}

/** What recording a move-in did. */
export interface MoveInResult {
  tenancyId: string;
  personId: string;
  /** The ID card was registered elsewhere in the district: that person moved here. */
  moved: boolean;
  householdId: string;
}

/** The query parameter that opens a plate's page. */
export const PLATE_PARAM = 'plate';

/**
 * Returns the address a plate's QR holds: the app's address with only the plate's opaque code.
 * @example plateUrl('https://grid.example.cn/app/', 'A1B2C3D4E5F6') // 'https://grid.example.cn/app/?plate=A1B2C3D4E5F6'
 */
export function plateUrl(appUrl: string, code: string): string {
  const url = new URL(appUrl);
  url.search = '';
  url.hash = '';
  url.searchParams.set(PLATE_PARAM, code);
  return url.toString();
}

/** Returns the plate code an address opens (upper case), or null when it names none or a malformed one. */
export function plateCodeOf(url: string): string | null {
  let code: string | null;
  try {
    code = new URL(url).searchParams.get(PLATE_PARAM);
  } catch {
    return null;
  }
  const v = code?.trim().toUpperCase() ?? '';
  return /^[0-9A-F]{12}$/.test(v) ? v : null;
}

/** Returns residents grouped by household (room, or household id), rooms in natural order. */
export function householdsOf(people: readonly PlateResident[]): { key: string; room: string | null; people: PlateResident[] }[] {
  const groups = new Map<string, { key: string; room: string | null; people: PlateResident[] }>();
  for (const p of people) {
    const key = p.householdId ?? p.room ?? p.id;
    const group = groups.get(key) ?? { key, room: p.room ?? null, people: [] };
    group.people.push(p);
    groups.set(key, group);
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  return [...groups.values()].sort((a, b) => collator.compare(a.room ?? a.key, b.room ?? b.key));
}
