import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { AppRole, BBox, CellClass, CellCode, CommunityCode, EntityKind, LngLat, PointKind } from '../domain/ids';

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

export interface CellDetail extends CellProperties {
  streetName: string | null;
  /** Rule output as JSON text (classSource 'rule') or the reason typed by an admin ('manual'). */
  classReason: string;
  validFrom: string;
  areaSquareMeters: number;
  counts: Record<PointKind, number>;
  topEventCategories: Array<{ category: string; count: number }>;
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

/** What an import did, by natural key (kind, external_id). */
export interface ImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Why a backend call failed; the UI shows a message per code. */
export type BackendErrorCode = 'unavailable' | 'forbidden' | 'not_found' | 'invalid' | 'conflict' | 'unknown';

/** A failure of a backend call, with a code the UI can act on and the database's message. */
export class BackendError extends Error {
  override name = 'BackendError';
  constructor(
    readonly code: BackendErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * THE data-access interface: the UI sees only this. Two implementations: embedded (PGlite +
 * PostGIS in a Web Worker) and supabase (supabase-js). Plain async methods, typed errors.
 */
export interface Backend {
  readonly kind: 'embedded' | 'supabase';
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
   * Writes entities of one kind in batches, updating those whose (kind, external_id) exists;
   * reports progress as rows written so far. Each batch is one transaction.
   */
  importEntities(
    kind: EntityKind,
    rows: readonly EntityImport[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<ImportResult>;
}
