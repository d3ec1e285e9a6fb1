import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type {
  CaseAction,
  CaseComplainant,
  CaseDetail,
  CaseFilter,
  CaseList,
  CasePoints,
  CaseReport,
  CaseSettings,
  CaseState,
  CaseTimeLimit,
  CaseWhistle,
  ComplaintRateRules,
  ComplaintRates,
  ComplaintRating,
  Department,
  Open311Query,
  Open311Request,
  Open311Service,
  ScorecardGroup,
  ScorecardMetric,
  Scorecards,
  ZoneCaseFigures,
} from '../domain/cases';
import type { RuleSet } from '../domain/classify';
import type { RiskGovernance } from '../domain/governance';
import type { AppRole, BBox, CellClass, CellCode, CommunityCode, EntityKind, LngLat, PointKind } from '../domain/ids';
import type { AlertRule, AlertsNow, LiveNow, LiveStreet, MyCell, Patrol, PatrolPosition } from '../domain/live';
import type { CasePhoto, PhotoFile } from '../domain/photos';
import type { MoveIn, MoveInResult, PlatePage, PlateSheetEntry } from '../domain/plates';
import type {
  AdminAreaProperties,
  AdminLevel,
  CellEditOperation,
  CellEditResult,
  CellFigures,
  CellImportRow,
  CellProperties,
  CellVersion,
  CommunityImportRow,
  GeocodeCandidate,
  ImportResult,
  PointColumns,
} from '../domain/records';
import type { BackupSummary } from './embedded/backup';
import type { SubscribeChanges } from './live-changes';

/** Something the search box found, with where it is (WGS-84). */
export interface SearchHit {
  kind: 'cell' | 'district' | 'street' | 'community' | EntityKind | 'event';
  /** A cell's or area's code; an entity's or event's id (as getPointDetail takes it). */
  id: string;
  label: string;
  /** What identifies it further: a code or an external id. */
  detail: string;
  lngLat: LngLat;
  bbox: BBox;
}

/** Who is acting: every read and write is done as this user, under row level security. */
export interface Session {
  userId: string | null;
  role: AppRole | 'anon';
  displayName: string;
}

/** How to sign in: as a demo member (embedded database) or with email and password (Supabase). */
export type SignInRequest = { kind: 'demo'; userId: string } | { kind: 'password'; email: string; password: string };

export interface DistrictOverview {
  code: string | null;
  name: string | null;
  bbox: BBox | null;
  counts: Record<PointKind | 'cells', number>;
}

/** What an export takes: one cell or community, one category, a period [from, to) (events by occurrence, cases by report). */
export interface ExportFilter {
  cellCode?: string;
  communityCode?: string;
  category?: string;
  from?: string;
  to?: string;
}

/** The point layers that export: the entities and events, and cases. */
export type ExportKind = PointKind | 'case';

/** A point as exported: id, WGS-84 position, the layer's columns. */
export interface ExportRow {
  id: string;
  lon: number;
  lat: number;
  props: Record<string, string | number | boolean | null>;
}

export interface CellDetail extends CellProperties {
  streetName: string | null;
  /** Rule output as JSON text (classSource 'rule') or the reason typed by an admin ('manual'). */
  classReason: string;
  validFrom: string;
  areaSquareMeters: number;
  counts: Record<PointKind, number>;
  topEventCategories: Array<{ category: string; count: number }>;
}

interface PointDetailBase {
  id: string;
  externalId: string;
  name: string;
  category: string;
  cellCode: CellCode | null;
  cellName: string | null;
  outsideDistrict: boolean;
  lngLat: LngLat;
}

export interface EntityDetail extends PointDetailBase {
  kind: EntityKind;
  riskLevel: number;
  attributes: Record<string, unknown>;
  /**
   * Personal fields: in full for admins and the worker of the person's cell (each view is
   * logged), masked for the command centre (`masked: true`), null for everyone else.
   */
  personal: { idCardNumber: string; phone: string; address: string; masked: boolean } | null;
  /**
   * A person's name is personal: only its first character is shown to the command centre (and
   * no birth year or gender); planners see no person at all, only counts.
   */
  nameMasked?: boolean;
}

export interface EventDetail extends PointDetailBase {
  kind: 'event';
  severity: number;
  source: string;
  status: string;
  occurredAt: string;
  description: string;
}

export type PointDetail = EntityDetail | EventDetail;

/** One entity to import, with its WGS-84 position; `personal` only for people. */
export interface EntityImport {
  external_id: string;
  name: string;
  category: string;
  risk_level: number;
  lon: number;
  lat: number;
  attributes: Record<string, string | number | boolean>;
  personal?: { id_card_number: string; phone: string; address: string } | null;
}

/** An edit to preview: the same arguments as splitCell, mergeCells or transferCell. */
export type CellEditPreviewRequest =
  | { operation: 'split'; cell: CellVersion; line: LineString | MultiLineString }
  | { operation: 'merge'; cells: readonly CellVersion[]; keep?: CellCode }
  | { operation: 'transfer'; cell: CellVersion; to: CellVersion };

/** What an edit would write: each cell (new ones marked) with its area, households and shape. */
export interface CellEditPreview {
  operation: CellEditOperation;
  cells: { code: CellCode; isNew: boolean; areaSquareMeters: number; households: number; geometry: MultiPolygon }[];
  newCodes: CellCode[];
  retiredCodes: CellCode[];
}

/** One version of a cell in its history timeline, with the edit that wrote it (null: the original). */
export interface CellHistoryEntry {
  version: number;
  validFrom: string;
  validTo: string | null;
  class: CellClass;
  communityCode: CommunityCode;
  editId: number | null;
  operation: CellEditOperation | null;
  reason: string | null;
  actorName: string | null;
  geometry: MultiPolygon;
}

/** A grid edit in the history list, newest first. */
export interface CellEditSummary {
  id: number;
  operation: CellEditOperation;
  reason: string;
  createdAt: string;
  actorName: string | null;
  communityCodes: CommunityCode[];
  newCodes: CellCode[];
  retiredCodes: CellCode[];
  reverts: number | null;
  revertedBy: number | null;
  /** True while every cell the edit wrote is still current and it has not been undone. */
  undoable: boolean;
  codes: CellCode[];
}

/** Why a backend call failed; the UI shows a message per code. */
/** 'confirm': the edit is allowed only once the user confirms it (a cell left in separate pieces). */
export type BackendErrorCode = 'unavailable' | 'forbidden' | 'not_found' | 'invalid' | 'conflict' | 'confirm' | 'unknown';

/** A failure of a backend call, with a code the UI can act on and the database's message. */
export class BackendError extends Error {
  override name = 'BackendError';
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    /** For 'conflict' on a grid edit: the cells as they are now, to show the editor. */
    readonly fresh: readonly { code: CellCode; version: number | null; geometry: MultiPolygon }[] = [],
  ) {
    super(message);
  }
}

/** A saved version of an A/B/C rule set. */
export interface RuleSetVersion {
  id: number;
  name: string;
  version: number;
  rules: RuleSet;
  createdAt: string;
}

/** What classification rules weigh for one cell (from the database, events in a window). */
export interface CellClassInputs extends Omit<CellProperties, 'version'> {
  residents: number;
  areaKm2: number;
  events: number;
  /** Severity × time decay. */
  eventsWeighted: number;
  eventsByCategory: Record<string, number>;
  keyPersons: number;
  hazardSites: number;
}

export interface ApplyClassesResult {
  changed: number;
  unchanged: number;
  keptManual: number;
  /** Cells no longer current (edited since the preview). */
  missing: number;
}

export interface ClassChange {
  fromClass: CellClass | null;
  toClass: CellClass;
  source: 'rule' | 'manual' | 'override_cleared';
  reason: string;
  ruleSet: string | null;
  changedAt: string;
}

/** An event category in the risk × responsibility matrix. */
export interface RiskMatrixEntry {
  category: string;
  risk: 'high' | 'low';
  responsibility: 'high' | 'low';
  note: string;
}

/**
 * THE data-access interface: the UI sees only this. Two implementations: embedded (PGlite +
 * PostGIS in a Web Worker) and supabase (supabase-js). Plain async methods, typed errors.
 */
/** The embedded database as a file: backed up whole, restored whole (supabase mode has none: its server keeps backups). */
export interface DatabaseFile {
  /** The whole database (a gzipped PGlite data directory). */
  backup(): Promise<Blob>;
  /** Replaces the whole database with a backup; refuses a file that is no backup before changing anything. */
  restore(file: Blob, onProgress: (step: 'check' | 'write') => void): Promise<BackupSummary>;
}

export interface Backend {
  readonly kind: 'embedded' | 'supabase';
  /** The embedded database's backup and restore; absent in supabase mode. */
  readonly databaseFile?: DatabaseFile;
  /**
   * Listens to changes committed to the database by anyone the caller may hear of (the other
   * tabs of this browser in the embedded mode; every user through Realtime in supabase mode);
   * absent where nothing tells (the tests' direct backends).
   */
  readonly subscribeChanges?: SubscribeChanges;
  getSession(): Promise<Session>;
  /** Members a user may act as without a password (embedded demo only; empty on Supabase). */
  listDemoMembers(): Promise<Session[]>;
  signIn(request: SignInRequest): Promise<Session>;
  signOut(): Promise<Session>;
  getDistrictOverview(): Promise<DistrictOverview>;
  listAdminAreas(level: AdminLevel): Promise<FeatureCollection<MultiPolygon, AdminAreaProperties>>;
  listCells(): Promise<FeatureCollection<MultiPolygon, CellProperties>>;
  /** Returns the cell, or null when it does not exist or the caller may not see it. */
  getCellDetail(code: CellCode): Promise<CellDetail | null>;
  listPoints(kind: PointKind): Promise<PointColumns>;
  /** Returns the entity or event, or null when it does not exist or the caller may not see it. */
  getPointDetail(kind: PointKind, id: string): Promise<PointDetail | null>;
  /** Returns the best gazetteer matches for a Chinese address, best first (offline, no external service). */
  geocodeAddress(query: string, limit?: number): Promise<GeocodeCandidate[]>;
  /**
   * Returns what the search box finds for a text, best first: cells by code or name, streets and
   * communities by name, entities by name, id or credit code, events by id; only what the caller
   * may see. Addresses are found with geocodeAddress.
   */
  search(query: string, limit?: number): Promise<SearchHit[]>;
  /**
   * Writes entities of one kind in batches, updating those whose (kind, external_id) exists;
   * reports progress as rows written so far. Each batch is one transaction.
   */
  importEntities(
    kind: EntityKind,
    rows: readonly EntityImport[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<ImportResult>;

  // Grid edits (admins). Each is one transaction in the database: it refuses a stale version
  // with BackendError('conflict') carrying the fresh cells, and writes one history row.
  /** Splits a cell along a line (or lines) drawn across it; the larger part keeps the code. */
  splitCell(cell: CellVersion, line: LineString | MultiLineString, reason: string): Promise<CellEditResult>;
  /** Merges neighbouring cells of one community; `keep` names the code to keep (default: the largest). */
  mergeCells(cells: readonly CellVersion[], reason: string, keep?: CellCode): Promise<CellEditResult>;
  /** Deletes a cell, giving its area to a neighbour that keeps its code. */
  transferCell(cell: CellVersion, to: CellVersion, reason: string): Promise<CellEditResult>;
  /** Moves a cell to a neighbouring community of the same street, where it gets a new code. */
  moveCell(cell: CellVersion, communityCode: CommunityCode, reason: string): Promise<CellEditResult>;
  /**
   * Replaces shapes of several cells at once. 'reshape': together they cover the same area
   * (a moved shared border). 'fix': they may also fill gaps and give up overlaps.
   */
  reshapeCells(
    cells: readonly (CellVersion & { geometry: Polygon | MultiPolygon })[],
    reason: string,
    options?: { allowMultipart?: boolean; mode?: 'reshape' | 'fix' },
  ): Promise<CellEditResult>;
  /**
   * Draws a new cell in a community: the shape, cut to the community, becomes a new cell and the
   * cells under it give up that area. `cells` names every cell of the community as the editor
   * saw it (a cell under the shape that is not named is a conflict). A cell left in separate
   * pieces fails with BackendError('confirm') until `allowMultipart` is set.
   */
  drawCell(
    communityCode: CommunityCode,
    shape: Polygon,
    cells: readonly CellVersion[],
    reason: string,
    options?: { allowMultipart?: boolean },
  ): Promise<CellEditResult>;
  /**
   * Replaces the cells of the communities the rows name with the imported cells, as one edit
   * (undoable): a row's code is kept when it is a current cell of its community, other rows get
   * new codes. `expected` names every current cell of those communities as the editor saw them.
   * Overlapping or invalid shapes are refused with the rows named; a cell in separate pieces
   * needs `allowMultipart`.
   */
  importCells(
    rows: readonly CellImportRow[],
    expected: readonly CellVersion[],
    reason: string,
    options?: { allowMultipart?: boolean },
  ): Promise<CellEditResult & { communities: CommunityCode[] }>;
  /** Adds communities under existing streets, or updates the name and boundary of existing ones. */
  importCommunities(rows: readonly CommunityImportRow[]): Promise<{ inserted: number; updated: number }>;
  /**
   * Returns what a split, merge or transfer would write, computed by the database exactly as the
   * edit would and rolled back: nothing is written. Fails where the edit would.
   */
  previewCellEdit(edit: CellEditPreviewRequest): Promise<CellEditPreview>;
  /** Undoes an edit, or redoes it when given the undo. */
  revertCellEdit(editId: number, reason?: string): Promise<CellEditResult>;
  getCellHistory(code: CellCode): Promise<CellHistoryEntry[]>;
  listCellEdits(limit?: number): Promise<CellEditSummary[]>;

  // Classification. Rule sets are evaluated by the app (src/domain/classify.ts); the database
  // keeps them, gives the inputs, and writes a run as one transaction, keeping manual classes.
  /** Saves a rule set as the next version of its name (admins). */
  saveRuleSet(rules: RuleSet): Promise<{ id: number; name: string; version: number }>;
  listRuleSets(): Promise<RuleSetVersion[]>;
  /** Per visible cell: events in the `days` before `end` (severity-weighted, halved every `halfLifeDays`), workload, hazards. */
  getCellClassInputs(end: string, days: number, halfLifeDays: number | null, code?: CellCode): Promise<CellClassInputs[]>;
  /** Writes the classes of a run of a saved rule set (admins); manual classes are kept. */
  applyCellClasses(
    ruleSetId: number,
    classes: readonly { code: CellCode; class: CellClass; reason: string }[],
  ): Promise<ApplyClassesResult>;
  /** Sets a class by hand with a reason (admins); rule runs keep it until cleared. */
  overrideCellClass(code: CellCode, cls: CellClass, reason: string): Promise<void>;
  clearCellOverride(code: CellCode, reason: string): Promise<void>;
  getCellClassHistory(code: CellCode): Promise<ClassChange[]>;
  listRiskMatrix(): Promise<RiskMatrixEntry[]>;
  setRiskMatrixEntry(entry: RiskMatrixEntry): Promise<void>;

  // Cases. The state machine, deadlines and routing are the database's; these read and ask.
  /** A page of the cases the user may read, filtered; overdue decided by the database. */
  listCases(filter: CaseFilter, limit?: number, offset?: number): Promise<CaseList>;
  /** Every case the user may read, as columns for the map (state, overdue). */
  listCasePoints(): Promise<CasePoints>;
  /** The case with its trace and the steps the user may take, or null when not visible. */
  getCase(id: string): Promise<CaseDetail | null>;
  /**
   * Reports a case at a position (admins and command anywhere, grid workers in their cells), with
   * its photos (resized; the database keeps their bytes, or they go to Supabase Storage first).
   */
  reportCase(report: CaseReport): Promise<{ id: string; code: string }>;
  /**
   * Takes a case one step, with a note and photos. Refused with 'invalid' (not a next step, naming
   * the allowed ones; a reason, department or photo wrong) or 'conflict' (someone else moved it
   * since `expectedVersion`).
   */
  transitionCase(
    id: string,
    action: CaseAction,
    options?: {
      note?: string;
      departmentId?: string | null;
      expectedVersion?: number;
      photos?: readonly PhotoFile[];
      /** The key the page made for this step: sent again with it, the step is not taken twice (`repeated`). */
      key?: string;
    },
  ): Promise<{ state: CaseState; version: number; repeated?: boolean }>;
  /** The photos of a case, each with the place of its step in the trace (no bytes). */
  getCasePhotos(caseId: string): Promise<CasePhoto[]>;
  /** A photo's image, from the database or from Storage. */
  getCasePhotoImage(photo: Pick<CasePhoto, 'id' | 'mime' | 'storagePath'>): Promise<Blob>;
  listDepartments(): Promise<Department[]>;
  /** The members who signed for cases the user may read (the assignee filter). */
  listCaseAssignees(): Promise<{ userId: string; name: string }[]>;
  /** The whistles of a case (吹哨报到) with the departments summoned. */
  listCaseWhistles(caseId: string): Promise<CaseWhistle[]>;
  /** Summons departments to an open case, each to acknowledge within `ackHours` working hours (command centre, admins). */
  blowWhistle(caseId: string, departmentIds: readonly string[], note: string, ackHours?: number): Promise<void>;
  /** The summoned department's officer acknowledges (报到), then reports what it did. */
  acknowledgeWhistle(callId: number): Promise<void>;
  reportWhistle(callId: number, report: string): Promise<void>;
  /** Rates a department's response 1–5 (command centre, admins), once it has reported. */
  rateWhistle(callId: number, rating: number, note: string): Promise<void>;
  getCaseSettings(): Promise<CaseSettings>;
  /** Time limits, calendar and routes (command centre and administrators). null removes. */
  setCaseTimeLimit(limit: Omit<CaseTimeLimit, 'hours'> & { hours: number | null }): Promise<void>;
  setWorkCalendarDay(day: string, kind: 'holiday' | 'workday' | null, name?: string): Promise<void>;
  setCaseRoute(category: string, areaCode: string, departmentId: string | null): Promise<void>;
  setCaseWorkingTime(workingTime: CaseSettings['workingTime']): Promise<void>;

  // Complaints handled at once (接诉即办).
  /** Reports a complaint (hotline or citizen complaint) with the citizen's name and phone. */
  reportComplaint(report: CaseReport, citizen: { name: string; phone: string }): Promise<{ id: string; code: string }>;
  /** The complaint's citizen as the user may see them (a full view is logged first), or null. */
  getCaseComplainant(caseId: string): Promise<CaseComplainant | null>;
  /** The handling department (or command) records that the citizen was contacted, once. */
  recordComplaintContact(caseId: string, note: string): Promise<void>;
  /** The citizen's rating of a closed complaint (command); a dissatisfied one may reopen it. */
  rateComplaint(
    caseId: string,
    rating: { rating: ComplaintRating; solved: boolean; note: string; reopen: boolean },
  ): Promise<{ state: CaseState; version: number }>;
  /** Response, resolution and satisfaction rates per department or street of complaints reported in [from, to). */
  getComplaintRates(group: 'department' | 'street', from: string, to: string): Promise<ComplaintRates>;
  setComplaintRateRules(rules: Partial<ComplaintRateRules>): Promise<void>;

  /** Scorecards (评价考核) of the period [from, to) per department, street or grid worker, with the rules of the score. */
  getScorecards(group: ScorecardGroup, from: string, to: string): Promise<Scorecards>;
  /** Sets a rate's weight in a group's score (null: it no longer counts); command centre and admins. */
  setScorecardRule(group: ScorecardGroup, metric: ScorecardMetric, weight: number | null): Promise<void>;

  /** The command centre's "now" of what the caller may read: counters, the cells of highest risk, the latest `feedLimit` (30) changes. */
  getLiveNow(feedLimit?: number): Promise<LiveNow>;
  /** Each street's figures for the wall screen (box, cells, open and overdue cases, events, its cell of highest risk), of what the caller may read. */
  getLiveStreets(): Promise<LiveStreet[]>;
  /** The caller's own cells (a grid worker's assignments) with their open cases, events and last patrol. */
  getMyCells(): Promise<MyCell[]>;
  /** The five stages of risk governance for a cell (null: the district) and a category (null: all) over the last `days`. */
  getRiskGovernance(cellCode: string | null, category: string | null, days: number): Promise<RiskGovernance>;
  /** Raises the alerts the rules say now (in the database), then returns the latest `limit` (50) open ones and the rules; command centre and admins. */
  getAlerts(limit?: number): Promise<AlertsNow>;
  /** Adds a rule, or switches one on or off ({id, active}); returns its id. */
  saveAlertRule(
    rule: (Pick<AlertRule, 'kind' | 'threshold'> & Partial<Pick<AlertRule, 'windowHours' | 'category'>>) | Pick<AlertRule, 'id' | 'active'>,
  ): Promise<number>;
  /** Acknowledges an open alert (a conflict when someone did already). */
  acknowledgeAlert(id: number): Promise<void>;

  /**
   * Starts the grid worker's patrol of one of their cells; `key` (a UUID the app made) makes a
   * start sent twice one patrol. Positions are [lng, lat, epoch ms] in WGS-84.
   */
  startPatrol(cellCode: string, key: string, positions?: readonly PatrolPosition[]): Promise<Patrol>;
  addPatrolPositions(id: string, positions: readonly PatrolPosition[]): Promise<Patrol>;
  /** Ends the patrol with a note and its last positions (ended already: as it ended). */
  endPatrol(id: string, note: string, positions?: readonly PatrolPosition[]): Promise<Patrol>;
  /** The latest `limit` (5) patrols of a cell the caller may read, newest first. */
  getCellPatrols(code: string, limit?: number): Promise<Patrol[]>;
  /** The patrols under way the caller may read (the command centre: all). */
  listPatrolsUnderWay(): Promise<Patrol[]>;

  /**
   * One page of a point layer as the caller may export it (the database decides: a grid worker's
   * own cells; people masked for the command centre and refused to planners; never personal
   * fields): `limit` rows (10,000; at most 50,000) after the id `after`, in id order.
   */
  exportPoints(kind: ExportKind, filter: ExportFilter, after?: string | null, limit?: number): Promise<ExportRow[]>;

  /** The figures of every cell the caller may see for the period [from, to) (ISO times), by code. */
  getCellFigures(from: string, to: string): Promise<CellFigures[]>;
  /**
   * The cases of a zone (the cells `cells`; null: the district) in [from, to): median working hours
   * per stage and the three complaint rates. Counts and medians only: every member reads them.
   */
  getZoneCaseFigures(cells: readonly string[] | null, from: string, to: string): Promise<ZoneCaseFigures>;

  /** The house plates (数字门牌) of one cell or one community, in address order, to print; a grid worker's only of their cells. */
  getPlatesSheet(scope: { cellCode: string } | { communityCode: string }): Promise<PlateSheetEntry[]>;
  /** A house plate's page (what its QR opens), as the caller may see it; null for an unknown code. */
  getPlatePage(code: string): Promise<PlatePage | null>;
  /** Records a tenant moving in at a plate's address (admins, the cell's grid worker). */
  recordMoveIn(code: string, moveIn: MoveIn): Promise<MoveInResult>;
  /** Records a resident of a plate's address moving out (YYYY-MM-DD; today when absent): they leave the register of people. */
  recordMoveOut(code: string, personId: string, movedOutOn?: string): Promise<void>;

  // Open311 GeoReport v2 over cases (README: "Open311"): the shapes of the specification.
  open311Services(): Promise<Open311Service[]>;
  open311Requests(query?: Open311Query): Promise<Open311Request[]>;
  /** requests/{id}: a one-element array, or empty when the request is not visible. */
  open311Request(id: string): Promise<Open311Request[]>;
  open311PostRequest(request: {
    service_code: string;
    lat: number;
    long: number;
    description?: string;
  }): Promise<{ service_request_id: string; service_notice: string; account_id: string | null }[]>;
}
