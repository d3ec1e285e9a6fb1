import type { MultiPolygon } from 'geojson';
import type { CellClass, CellCode, CommunityCode, LngLat, PointKind } from './ids';

// The records every layer shares: cells, areas and points as the map, the geometry code, the
// importers and the database all see them. They belong to no layer in particular, so they live
// here rather than beside the Backend interface.

export type AdminLevel = 'district' | 'street' | 'community';

export interface AdminAreaProperties {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
}

export interface CellProperties {
  code: CellCode;
  name: string;
  communityCode: CommunityCode;
  communityName: string | null;
  class: CellClass;
  classSource: 'rule' | 'manual';
  households: number;
  version: number;
}

/** Points of one kind in columns; `severity` is the event severity or the entity risk level. */
export interface PointColumns {
  kind: PointKind;
  ids: string[];
  lng: Float64Array;
  lat: Float64Array;
  category: string[];
  severity: Uint8Array;
  /** Event time in epoch milliseconds (events only). */
  time?: Float64Array;
  /** Who reported the event (events only): grid_worker, camera, citizen, hotline, sensor, department. */
  source?: string[];
}

/** A gazetteer address that may be what a query means, with a score in [0, 1] (1: same address). */
export interface GeocodeCandidate {
  id: string;
  kind: 'door' | 'building' | 'poi';
  address: string;
  name: string;
  score: number;
  lngLat: LngLat;
  cellCode: CellCode | null;
}

/** What an import did, by natural key (kind, external_id). */
export interface ImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** A cell read from a boundary file, ready to import: WGS-84, `row` is its row in the file. */
export interface CellImportRow {
  row: number;
  code: CellCode | null;
  name: string | null;
  communityCode: CommunityCode;
  households: number | null;
  geometry: MultiPolygon;
}

/** A community boundary read from a file, ready to import. */
export interface CommunityImportRow {
  row: number;
  code: CommunityCode;
  name: string;
  geometry: MultiPolygon;
}

/** A cell as an editor saw it: edits name the version they change (optimistic locking). */
export interface CellVersion {
  code: CellCode;
  version: number;
}

/** What a grid edit did: its history id, the cells it wrote, and codes it issued or retired. */
export interface CellEditResult {
  editId: number;
  operation: CellEditOperation;
  cells: CellVersion[];
  newCodes: CellCode[];
  retiredCodes: CellCode[];
  /**
   * The written cells classed by the latest saved rule set in the edit's own transaction (manual
   * classes kept); null when no rule set was ever saved.
   */
  reclassified?: {
    ruleSet: { id: number; name: string; version: number };
    changed: number;
    unchanged: number;
    keptManual: number;
    missing: number;
  } | null;
}

export type CellEditOperation = 'split' | 'merge' | 'transfer' | 'move' | 'reshape' | 'fix' | 'draw' | 'import' | 'undo' | 'redo';

/** One cell's figures for a period (cell_figures): what the zone reports, the comparison and the cells' exports carry. */
export interface CellFigures {
  code: string;
  name: string;
  class: CellClass;
  communityCode: string | null;
  communityName: string | null;
  streetName: string | null;
  households: number | null;
  areaSquareMeters: number;
  /** Counts only (every member who sees the cell may count its people). */
  people: number;
  keyPersons: number;
  places: number;
  things: number;
  organisations: number;
  /** Events that occurred in the period. */
  events: number;
  /** Cases reported in the period. */
  casesReported: number;
  /** Cases open now, and of those past their deadline. */
  casesOpen: number;
  casesOverdue: number;
  /** Cases first closed in the period, and their median hours from report to closing (null: none). */
  casesClosed: number;
  medianHandlingHours: number | null;
  /** The risk index now (cell_risk_indexes). */
  riskIndex: number;
  lastPatrolAt: string | null;
}
