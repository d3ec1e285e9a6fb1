import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useEffect } from 'react';
import type { BBox, LngLat, PointKind } from '../domain/ids';
import type { CellProperties, PointColumns } from '../domain/records';
import { interiorPoint } from '../geo/interior-point';
import type { MapController } from '../map/map-controller';

// What the browser tests read and call on the page: flags they wait on (never sleeps), and ways
// to find a cell or a point and where it is drawn. Set by the shell as its state changes.

/** State flags the browser tests wait on (never sleeps). */
export interface TestHooks {
  bootStage: string;
  cellsLoaded: number;
  /** Where the cells on the map came from: the last visit's snapshot, or the database. */
  cellsFrom: 'snapshot' | 'database' | null;
  /** How many snapshots this page has kept for the next visit. */
  snapshotsSaved: number;
  cellsDrawn: boolean;
  pointsLoaded: Partial<Record<PointKind, number>>;
  reopened: boolean;
  /** On Supabase without a network, the app opened with the member's kept snapshot. */
  offlineSnapshot: boolean;
  /** Whether the database's stored copy is whole (a reload reopens it). */
  persisted: boolean;
  project(lngLat: LngLat): [number, number] | null;
  /** Whether the drawing tool takes clicks (its snap targets are there). */
  drawReady(): boolean;
  /** Whether the map stands still with everything it was given drawn (handles included). */
  mapSettled(): boolean;
  /** How many cases the map holds for drawing and picking. */
  casesOnMap(): number;
  /** How many places the map rings as just happened (the live view). */
  highlightsOnMap(): number;
  /** How many changes committed elsewhere (another tab, another user) this page has heard. */
  changesHeard: number;
  /** The wall screen's scene while it is on (else null). */
  wall: { index: number; kind: 'district' | 'street' | 'alerts'; code: string | null; scenes: number } | null;
  /** How many times new alerts chimed (or would have: the sound switched on, audio allowed or not). */
  alertsSounded: number;
  /** Where the map looks: its zoom and the box in view (display coordinates). */
  view(): { zoom: number; bounds: BBox } | null;
  /** How many features a map source holds now (app-isobands, app-hotspots, app-overlay, app-vertices …). */
  sourceFeatures(source: string): Promise<number>;
  /** Moves the map to a position and zoom at once (no animation). */
  flyTo(lngLat: LngLat, zoom: number): void;
  /** Returns the id and position of the i-th loaded point of a kind. */
  pointAt(kind: PointKind, i: number): { id: string; lngLat: LngLat } | null;
  /** Returns a point inside the i-th loaded cell (the middle of its widest row) and its code. */
  cellAt(i: number): { code: string; lngLat: LngLat; bbox: BBox } | null;
  /** The last heatmap drawn: events counted, peak density, window end; `seq` counts heatmaps. */
  heat?: { counted: number; max: number; end: number; threads: number; seq: number };
  /** Isobands drawn (0 when off). */
  isobands?: number;
  /** The hot spot view's cells per Gi* class and per trend, or null when off. */
  hotspots?: { classes: Record<number, number>; trends: Record<string, number> | null } | null;
}

declare global {
  interface Window {
    __gridatlas?: TestHooks;
  }
}

export function hooks(): TestHooks {
  window.__gridatlas ??= {
    bootStage: 'check',
    cellsLoaded: 0,
    cellsFrom: null,
    snapshotsSaved: 0,
    cellsDrawn: false,
    pointsLoaded: {},
    reopened: false,
    offlineSnapshot: false,
    persisted: false,
    project: () => null,
    drawReady: () => false,
    mapSettled: () => false,
    casesOnMap: () => 0,
    highlightsOnMap: () => 0,
    changesHeard: 0,
    alertsSounded: 0,
    wall: null,
    view: () => null,
    sourceFeatures: async () => 0,
    flyTo: () => undefined,
    pointAt: () => null,
    cellAt: () => null,
  };
  return window.__gridatlas;
}

/** Publishes where the cells and points are drawn (display coordinates: where a click must land). */
export function usePublishedData(
  displayCells: FeatureCollection<MultiPolygon, CellProperties> | null,
  displayPoints: Partial<Record<PointKind, PointColumns>>,
): void {
  useEffect(() => {
    hooks().cellAt = (i) => {
      const f = displayCells?.features[i];
      if (!f) return null;
      const polygon = { type: 'Polygon' as const, coordinates: f.geometry.coordinates[0] ?? [] };
      const ring = polygon.coordinates[0] ?? [];
      const xs = ring.map((p) => p[0] as number);
      const ys = ring.map((p) => p[1] as number);
      return {
        code: f.properties.code,
        lngLat: interiorPoint(polygon) as LngLat,
        bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      };
    };
  }, [displayCells]);
  useEffect(() => {
    // Where the point is drawn (display coordinates), which is where a click must land.
    hooks().pointAt = (kind, i) => {
      const p = displayPoints[kind];
      const id = p?.ids[i];
      return p && id ? { id, lngLat: [p.lng[i] as number, p.lat[i] as number] } : null;
    };
    // Published with pointAt, so that a test waiting on pointsLoaded finds pointAt ready.
    hooks().pointsLoaded = Object.fromEntries(Object.entries(displayPoints).map(([kind, p]) => [kind, p.ids.length]));
  }, [displayPoints]);
}

/** Publishes a new map (or none): it has not drawn anything yet. */
export function publishMap(c: MapController | null): void {
  hooks().cellsDrawn = false;
  hooks().project = (lngLat) => c?.project(lngLat) ?? null;
  hooks().flyTo = (lngLat, zoom) => c?.jumpTo(lngLat, zoom);
  hooks().drawReady = () => c?.drawReady ?? false;
  hooks().mapSettled = () => c?.settled ?? false;
  hooks().casesOnMap = () => c?.casesOnMap ?? 0;
  hooks().highlightsOnMap = () => c?.highlightsOnMap ?? 0;
  hooks().sourceFeatures = async (source) => (await c?.sourceFeatures(source)) ?? 0;
  hooks().view = () => c?.view() ?? null;
}
