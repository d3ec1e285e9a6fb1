import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppConfig } from '../config';
import type { Backend, DistrictOverview, Session, SignInRequest } from '../data/backend';
import { BackendProvider } from '../data/backend-context';
import { type BootSnapshot, readBootSnapshot } from '../data/boot-snapshot';
import { DEMO_MEMBERS } from '../data/demo-members';
import type { BootProgress } from '../data/embedded/boot-progress';
import type { BBox, LngLat, PointKind } from '../domain/ids';
import type { AdminAreaProperties, CellProperties, PointColumns } from '../domain/records';
import { convertForDisplay, convertPointsForDisplay } from '../geo/convert-for-display';
import { fromWgs84, toWgs84 } from '../geo/crs-china';
import { interiorPoint } from '../geo/interior-point';
import { moveSharedVertices, type ShapeById } from '../geo/move-shared-vertex';
import { type SnapTargets, snapPosition, snapTargetsFromBuffers } from '../geo/snap-position';
import type { MapController } from '../map/map-controller';
import { MapView } from '../map/map-view';
import { type LabelFeature, renderModel } from '../map/render-model';
import { initialUiState, type LayerKey, uiReducer } from '../state/ui-state';
import { BootStatus } from '../ui/boot-status';
import { errorText } from '../ui/error-text';
import { formatTime } from '../ui/format';
import { Header } from '../ui/header';
import { Inspector, type InspectorContent } from '../ui/inspector';
import { LayerPanel } from '../ui/layer-panel';
import { saveFile } from '../ui/save-file';
import { SearchBox, type SearchPick } from '../ui/search-box';
import { SessionMenu } from '../ui/session-menu';
import { inGeoWorker } from '../workers/geo-client';
import { ACTING_AS_KEY } from './acting-user';
import { loadBackend } from './load-backend';
import { saveSnapshot } from './load-snapshot';
import { useHeatmap } from './use-heatmap';
import { userArea } from './user-area';

export interface AppProps {
  config: AppConfig;
  style: StyleSpecification | string;
  initialBounds: BBox | null;
  labels: LabelFeature[];
  /** The demo member acted as first (embedded database). */
  actingAs: string;
  /** What the map showed last time, drawn while the database boots (null: wait for it). */
  snapshot: Promise<BootSnapshot | null>;
}

// Panels load when first opened, so that the map's first frames do not wait for them.
const ClassifyPanel = lazy(() => import('../ui/classify-panel').then((m) => ({ default: m.ClassifyPanel })));
const GridEditPanel = lazy(() => import('../ui/grid-edit-panel').then((m) => ({ default: m.GridEditPanel })));
const HeatPanel = lazy(() => import('../ui/heat-panel').then((m) => ({ default: m.HeatPanel })));
const ImportDialog = lazy(() => import('../ui/import-dialog').then((m) => ({ default: m.ImportDialog })));

/** State flags the browser tests wait on (never sleeps). */
interface TestHooks {
  bootStage: string;
  cellsLoaded: number;
  /** Where the cells on the map came from: the last visit's snapshot, or the database. */
  cellsFrom: 'snapshot' | 'database' | null;
  /** How many snapshots this page has kept for the next visit. */
  snapshotsSaved: number;
  cellsDrawn: boolean;
  pointsLoaded: Partial<Record<PointKind, number>>;
  reopened: boolean;
  /** Whether the database's stored copy is whole (a reload reopens it). */
  persisted: boolean;
  project(lngLat: LngLat): [number, number] | null;
  /** Whether the drawing tool takes clicks (its snap targets are there). */
  drawReady(): boolean;
  /** Whether the map stands still with everything it was given drawn (handles included). */
  mapSettled(): boolean;
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

function hooks(): TestHooks {
  window.__gridatlas ??= {
    bootStage: 'check',
    cellsLoaded: 0,
    cellsFrom: null,
    snapshotsSaved: 0,
    cellsDrawn: false,
    pointsLoaded: {},
    reopened: false,
    persisted: false,
    project: () => null,
    drawReady: () => false,
    mapSettled: () => false,
    view: () => null,
    sourceFeatures: async () => 0,
    flyTo: () => undefined,
    pointAt: () => null,
    cellAt: () => null,
  };
  return window.__gridatlas;
}

/** Stands in for a panel while its code loads. */
function PanelLoading() {
  const { t } = useTranslation();
  return (
    <div className="panel-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('inspector.loading')}
    </div>
  );
}

/** Downloads the current cells (WGS-84) as GeoJSON, a zipped shapefile or CSV with WKT. */
async function downloadCells(cells: FeatureCollection<MultiPolygon, CellProperties>, format: 'geojson' | 'shp' | 'csv') {
  const { cellsToCsvWkt, cellsToGeoJson, cellsToShapefileZip } = await import('../geo/export-cells');
  const rows = cells.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    communityCode: f.properties.communityCode,
    class: f.properties.class,
    households: f.properties.households,
    geometry: f.geometry,
  }));
  const stamp = new Date().toISOString().slice(0, 10);
  const [body, type, name] =
    format === 'geojson'
      ? [cellsToGeoJson(rows), 'application/geo+json', `cells-${stamp}.geojson`]
      : format === 'csv'
        ? [cellsToCsvWkt(rows), 'text/csv;charset=utf-8', `cells-${stamp}.csv`]
        : [cellsToShapefileZip(rows, `cells-${stamp}`), 'application/zip', `cells-${stamp}.zip`];
  saveFile([body as BlobPart], name, type);
}

/** The app shell: boots the backend, loads what the map shows, and wires panels to the map. */
export function App({ config, style, initialBounds, labels, actingAs, snapshot }: AppProps) {
  const { t, i18n } = useTranslation();
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  const [backend, setBackend] = useState<Backend | null>(null);
  const [progress, setProgress] = useState<BootProgress | null>({ stage: 'check' });
  const [bootError, setBootError] = useState<string | null>(null);
  const [bootAttempt, setBootAttempt] = useState({ n: 0, fresh: false });
  const [session, setSession] = useState<Session | null>(null);
  // The embedded database's demo members are known before it boots.
  const [demoMembers, setDemoMembers] = useState<Session[]>(() => (config.backend.kind === 'embedded' ? [...DEMO_MEMBERS] : []));
  const [overview, setOverview] = useState<DistrictOverview | null>(null);
  const [cells, setCells] = useState<FeatureCollection<MultiPolygon, CellProperties> | null>(null);
  const [communities, setCommunities] = useState<FeatureCollection<MultiPolygon, AdminAreaProperties> | null>(null);
  const [points, setPoints] = useState<Partial<Record<PointKind, PointColumns>>>({});
  const [loadingLayers, setLoadingLayers] = useState<Partial<Record<LayerKey, boolean>>>({});
  const [inspector, setInspector] = useState<InspectorContent | null>(null);
  const [zoom, setZoom] = useState(12);
  const [fitTo, setFitTo] = useState<BBox | null>(null);
  const [mapError, setMapError] = useState<string | null>(null);
  const controller = useRef<MapController | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [classifyOpen, setClassifyOpen] = useState(false);
  const [problemsShown, setProblemsShown] = useState(false);
  /** Counts the maps made (a language or basemap change makes a new one). */
  const [mapSeq, setMapSeq] = useState(0);
  /** What the editing panel draws over the cells (kept for a new map). */
  const overlay = useRef<FeatureCollection>({ type: 'FeatureCollection', features: [] });
  const pickingRef = useRef(false);
  const setOverlay = (shapes: FeatureCollection) => {
    overlay.current = shapes;
    controller.current?.setOverlay(shapes);
  };
  /** The rule set the classification panel shows, when opened from a cell's class. */
  const [classifyShow, setClassifyShow] = useState<{ name: string; version: number } | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const requested = useRef(new Set<PointKind>());
  const actingRef = useRef(actingAs);

  // Boot the backend; the map is already usable meanwhile.
  useEffect(() => {
    let cancelled = false;
    setBootError(null);
    const boot = loadBackend(config, { attempt: bootAttempt.n, fresh: bootAttempt.fresh, userId: actingRef.current }, (p) => {
      if (cancelled) return;
      setProgress(p);
      hooks().bootStage = p.stage;
      hooks().reopened = p.reopened ?? false;
      hooks().persisted = p.persisted ?? false;
    });
    boot.backend
      .then((b) => {
        if (!cancelled) setBackend(b);
      })
      .catch((error: unknown) => {
        if (!cancelled) setBootError(errorText(t, error));
      });
    return () => {
      cancelled = true;
      boot.unsubscribe();
    };
  }, [config, bootAttempt, t]);

  // Shows what a user may see (from the database, or the last visit's snapshot while it boots).
  // Cells and communities equal to those on the map keep their objects: the map does not redraw.
  const shown = useRef<{ cells: string; communities: string }>({ cells: '', communities: '' });
  const fromDatabase = useRef(false);
  const showSnapshot = useCallback((s: BootSnapshot, from: 'snapshot' | 'database', fit: boolean) => {
    setSession(s.session);
    setOverview(s.overview);
    const cellsText = JSON.stringify(s.cells);
    if (cellsText !== shown.current.cells) setCells(s.cells);
    const communitiesText = JSON.stringify(s.communities);
    if (communitiesText !== shown.current.communities) setCommunities(s.communities);
    shown.current = { cells: cellsText, communities: communitiesText };
    hooks().cellsLoaded = s.cells.features.length;
    hooks().cellsFrom = from;
    // Each user starts where their work is: a grid worker at their own cells, others at the district.
    const area = userArea(s);
    if (fit && area) setFitTo(area);
  }, []);

  const keepSnapshot = useCallback(
    (s: BootSnapshot) => {
      void saveSnapshot(config, s).then(() => {
        hooks().snapshotsSaved += 1;
      });
    },
    [config],
  );

  // While the database boots, the map draws and inspects the cells of the last visit.
  useEffect(() => {
    let cancelled = false;
    snapshot.then((s) => {
      if (s && !cancelled && !fromDatabase.current) showSnapshot(s, 'snapshot', s.session.role === 'worker' || !initialBounds);
    });
    return () => {
      cancelled = true;
    };
  }, [snapshot, showSnapshot, initialBounds]);

  // On every session change: who we are, then everything visible to us.
  const loadAll = useCallback(
    async (b: Backend, reason: 'boot' | 'session') => {
      const s = await readBootSnapshot(b);
      const first = !fromDatabase.current;
      fromDatabase.current = true;
      setDemoMembers(await b.listDemoMembers());
      // Another user sees other points: those loaded go. (On boot none were loaded before the
      // database, and those asked for since are this user's.)
      if (reason === 'session') {
        requested.current.clear();
        setPoints({});
        hooks().pointsLoaded = {};
      }
      showSnapshot(
        s,
        'database',
        reason === 'session' || (first && hooks().cellsFrom !== 'snapshot' && (s.session.role === 'worker' || !initialBounds)),
      );
      keepSnapshot(s);
    },
    [initialBounds, showSnapshot, keepSnapshot],
  );

  useEffect(() => {
    if (!backend) return;
    loadAll(backend, 'boot').catch((error: unknown) => setBootError(errorText(t, error)));
  }, [backend, loadAll, t]);

  // Point layers load the first time they are switched on, and again after an import.
  // biome-ignore lint/correctness/useExhaustiveDependencies: dataVersion is the signal to load again.
  useEffect(() => {
    if (!backend || !session || session.role === 'anon') return;
    for (const kind of ['event', 'person', 'place', 'thing', 'organisation'] as const) {
      // Events also feed the heatmap.
      const wanted = ui.layers[kind] || (kind === 'event' && ui.layers.heat);
      if (!wanted || requested.current.has(kind)) continue;
      requested.current.add(kind);
      setLoadingLayers((l) => ({ ...l, [kind]: true }));
      backend
        .listPoints(kind)
        .then((columns) => {
          setPoints((p) => ({ ...p, [kind]: columns }));
        })
        .catch((error: unknown) => setMapError(errorText(t, error)))
        .finally(() => setLoadingLayers((l) => ({ ...l, [kind]: false })));
    }
  }, [backend, session, ui.layers, t, dataVersion]);

  // The inspector follows the selection.
  useEffect(() => {
    const selection = ui.selection;
    if (!selection) {
      setInspector(null);
      return;
    }
    // A cell shows at once what the map knows of it (also before the database is up); the rest follows.
    const cell = selection.type === 'cell' ? cells?.features.find((f) => f.properties.code === selection.code) : undefined;
    setInspector(cell ? { type: 'cell-preview', cell: cell.properties } : { type: 'loading' });
    if (!backend) return;
    let cancelled = false;
    const request =
      selection.type === 'cell' ? backend.getCellDetail(selection.code) : backend.getPointDetail(selection.kind, selection.id);
    request
      .then((detail) => {
        if (cancelled) return;
        if (!detail) setInspector({ type: 'missing' });
        else if (selection.type === 'cell') setInspector({ type: 'cell', cell: detail as never });
        else setInspector({ type: 'point', point: detail as never });
      })
      .catch((error: unknown) => {
        if (!cancelled) setInspector({ type: 'error', message: errorText(t, error) });
      });
    return () => {
      cancelled = true;
    };
  }, [ui.selection, backend, t, cells]);

  const mapLocale = useMemo(
    () => ({
      'Map.Title': t('map.title'),
      'NavigationControl.ZoomIn': t('map.zoomIn'),
      'NavigationControl.ZoomOut': t('map.zoomOut'),
      'NavigationControl.ResetBearing': t('map.resetBearing'),
      'AttributionControl.ToggleAttribution': t('map.toggleAttribution'),
      'ScaleControl.Meters': t('map.meters'),
      'ScaleControl.Kilometers': t('map.kilometers'),
    }),
    // react-i18next gives a new `t` when the language changes.
    [t],
  );
  // Storage is WGS-84; over a GCJ-02 or BD-09 basemap the layers are shifted for display only.
  const displayCrs = config.basemap.crs;
  const displayCells = useMemo(() => (cells ? convertForDisplay(cells, displayCrs) : null), [cells, displayCrs]);
  const displayCommunities = useMemo(() => (communities ? convertForDisplay(communities, displayCrs) : null), [communities, displayCrs]);
  const displayPoints = useMemo(() => {
    const out: typeof points = {};
    for (const [kind, columns] of Object.entries(points) as Array<[PointKind, PointColumns]>)
      out[kind] = convertPointsForDisplay(columns, displayCrs);
    return out;
  }, [points, displayCrs]);
  const heat = useHeatmap({
    on: ui.layers.heat,
    settings: ui.heat,
    events: points.event,
    cells,
    districtBBox: overview?.bbox ?? null,
    selection: ui.selection,
    displayCrs,
    dispatch,
    canvas: () => controller.current?.map.getCanvas() ?? null,
    caption: (from, to) =>
      `${t('heat.title')}  ${formatTime(from, i18n.language, ui.heat.step === 'hour')} – ${formatTime(to, i18n.language, ui.heat.step === 'hour')}`,
    onError: setMapError,
    onComputed: (info) => {
      hooks().heat = { ...info, seq: (hooks().heat?.seq ?? 0) + 1 };
    },
  });
  // A new map (another language, another basemap) is given again what the old one drew.
  // biome-ignore lint/correctness/useExhaustiveDependencies: mapSeq is the signal of a new map.
  useEffect(() => {
    controller.current?.setIsobands(heat.bands ?? { type: 'FeatureCollection', features: [] });
    hooks().isobands = heat.bands?.features.length ?? 0;
  }, [heat.bands, mapSeq]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: mapSeq is the signal of a new map.
  useEffect(() => {
    controller.current?.setHotspots(heat.hotspots?.shapes ?? { type: 'FeatureCollection', features: [] });
    hooks().hotspots = heat.hotspots ? { classes: heat.hotspots.classes, trends: heat.hotspots.trends } : null;
  }, [heat.hotspots, mapSeq]);
  const model = useMemo(
    () => renderModel(ui, { points: displayPoints, labels, heat: heat.layer }, zoom),
    [ui, displayPoints, labels, heat.layer, zoom],
  );
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

  /** After an import: reload the counts and the imported kind's points. */
  const reloadKind = (kind: PointKind) => {
    requested.current.delete(kind);
    setPoints((p) => {
      const { [kind]: _dropped, ...rest } = p;
      return rest;
    });
    setDataVersion((v) => v + 1);
    backend
      ?.getDistrictOverview()
      .then(setOverview)
      .catch((error: unknown) => setMapError(errorText(t, error)));
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: mapSeq is the signal of a new map.
  useEffect(() => {
    pickingRef.current = ui.editing;
    controller.current?.setPicking(ui.editing);
  }, [ui.editing, mapSeq]);

  // Shared-border editing: the picked cell's vertices become handles; dragging one previews the
  // move in every cell that shares it, releasing it asks the panel to commit the reshape.
  const [vertexMove, setVertexMove] = useState<{ moves: { from: LngLat; to: LngLat }[]; seq: number } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: mapSeq is the signal of a new map.
  useEffect(() => {
    const code = ui.editing && ui.editCodes.length === 1 ? ui.editCodes[0] : undefined;
    const cell = code ? displayCells?.features.find((f) => f.properties.code === code) : undefined;
    const rings = cell ? cell.geometry.coordinates.flatMap((poly) => poly.map((ring) => ring.slice(0, -1) as LngLat[])) : [];
    controller.current?.setVertices(rings);
  }, [ui.editing, ui.editCodes, displayCells, mapSeq]);
  // The cells a drag moves depend only on the handle, not on where it is: found once per drag
  // among all cells, then each pointer event reshapes just those few.
  const dragCells = useRef<{ key: string; cells: ShapeById[] } | null>(null);
  const onVertexDrag = (from: LngLat[], to: LngLat[], done: boolean) => {
    if (!displayCells) return;
    if (!done) {
      const key = JSON.stringify(from);
      if (dragCells.current?.key !== key) {
        const all = displayCells.features.map((f) => ({ id: f.properties.code, geometry: f.geometry }));
        const touched = new Set(
          moveSharedVertices(
            all,
            from.map((p) => ({ from: p, to: p })),
          ).map((c) => c.id),
        );
        dragCells.current = { key, cells: all.filter((c) => touched.has(c.id)) };
      }
      const moved = moveSharedVertices(
        dragCells.current.cells,
        from.map((p, i) => ({ from: p, to: to[i] as LngLat })),
      );
      controller.current?.setDragPreview(
        moved.map((m) => m.geometry),
        to,
      );
      return;
    }
    dragCells.current = null;
    controller.current?.setDragPreview(null);
    // A click on a handle without moving it is not an edit.
    if (to.every((p, i) => p[0] === from[i]?.[0] && p[1] === from[i]?.[1])) return;
    setVertexMove((v) => ({
      moves: from.map((p, i) => ({ from: toWgs84(p, displayCrs), to: toWgs84(to[i] as LngLat, displayCrs) })),
      seq: (v?.seq ?? 0) + 1,
    }));
  };

  /** After a grid edit: the cells, communities and counts as they are now. */
  const reloadGrid = async () => {
    if (!backend) return;
    const s = await readBootSnapshot(backend);
    showSnapshot(s, 'database', false);
    keepSnapshot(s);
  };

  /** Draws a line on the map, returned in storage coordinates (WGS-84). */
  const drawLine = async (): Promise<LineString | null> => {
    const line = (await controller.current?.drawLine()) ?? null;
    if (!line || displayCrs === 'wgs84') return line;
    return { type: 'LineString', coordinates: line.coordinates.map((p) => toWgs84(p as LngLat, displayCrs)) };
  };

  /**
   * Draws a polygon on the map, corners snapped to cells and roads, returned in WGS-84. The snap
   * targets are built in a worker as soon as the cells are there in edit mode (once per set of
   * cells), so the drawing tool starts at once and the map never waits for them.
   */
  const snapTargets = useRef<{ cells: unknown; targets: Promise<SnapTargets> } | null>(null);
  const buildTargets = useCallback(() => {
    const map = controller.current;
    if (!map || !displayCells) return null;
    if (snapTargets.current?.cells !== displayCells) {
      const shapes = displayCells.features.map((f) => f.geometry);
      const targets = (async () => {
        const roads = await map.roadLines().catch(() => []);
        return snapTargetsFromBuffers(await inGeoWorker((api) => api.snapTargets(shapes, roads)));
      })();
      snapTargets.current = { cells: displayCells, targets };
    }
    return snapTargets.current.targets;
  }, [displayCells]);
  useEffect(() => {
    if (ui.editing) buildTargets()?.catch(() => undefined);
  }, [ui.editing, buildTargets]);
  const drawPolygon = async (snapMeters: number): Promise<Polygon | null> => {
    const map = controller.current;
    const pending = buildTargets();
    if (!map || !pending) return null;
    // The map holds clicks at once; corners snap as soon as the targets are there.
    const snap = pending.then((targets) => (snapMeters > 0 ? (p: LngLat) => snapPosition(targets, p, snapMeters)?.position ?? null : null));
    const shape = await map.drawPolygon(snap);
    if (!shape || displayCrs === 'wgs84') return shape;
    return { type: 'Polygon', coordinates: shape.coordinates.map((ring) => ring.map((p) => toWgs84(p as LngLat, displayCrs))) };
  };

  const signIn = async (request: SignInRequest) => {
    if (!backend) return;
    await backend.signIn(request);
    if (request.kind === 'demo') {
      actingRef.current = request.userId;
      try {
        localStorage.setItem(ACTING_AS_KEY, request.userId);
      } catch {
        // Storage may be refused (private mode): the switch still holds for this page.
      }
    }
    dispatch({ type: 'select', selection: null });
    if (ui.editing) dispatch({ type: 'toggle-editing' });
    await loadAll(backend, 'session');
  };
  const signOut = async () => {
    if (!backend) return;
    await backend.signOut();
    dispatch({ type: 'select', selection: null });
    await loadAll(backend, 'session');
  };

  /** A search result: the map goes there, and what it found is inspected. */
  const onSearchPick = (pick: SearchPick) => {
    const map = controller.current;
    if (!map) return;
    if (pick.kind === 'area' || pick.kind === 'cell') {
      const [w, s] = fromWgs84([pick.bbox[0], pick.bbox[1]], displayCrs);
      const [e, n] = fromWgs84([pick.bbox[2], pick.bbox[3]], displayCrs);
      map.fitBounds([w, s, e, n]);
    } else map.map.jumpTo({ center: fromWgs84(pick.lngLat, displayCrs), zoom: 18 });
    if (pick.kind === 'cell') dispatch({ type: 'select', selection: { type: 'cell', code: pick.code } });
    else if (pick.kind === 'point') dispatch({ type: 'select', selection: { type: 'point', kind: pick.pointKind, id: pick.id } });
    else if (pick.kind === 'address' && pick.cellCode) dispatch({ type: 'select', selection: { type: 'cell', code: pick.cellCode } });
  };

  const onController = useCallback((c: MapController | null) => {
    controller.current = c;
    if (c) {
      c.setOverlay(overlay.current);
      c.setPicking(pickingRef.current);
      setMapSeq((n) => n + 1);
    }
    // A new map has not drawn anything yet.
    hooks().cellsDrawn = false;
    hooks().project = (lngLat) => c?.project(lngLat) ?? null;
    hooks().flyTo = (lngLat, zoom) => c?.map.jumpTo({ center: lngLat, zoom });
    hooks().drawReady = () => c?.drawReady ?? false;
    hooks().mapSettled = () => Boolean(c?.map.loaded() && !c.map.isMoving());
    hooks().sourceFeatures = async (source) => {
      const s = c?.map.getSource(source) as { getData?: () => Promise<{ features?: unknown[] }> } | undefined;
      return (await s?.getData?.())?.features?.length ?? 0;
    };
    hooks().view = () => {
      if (!c) return null;
      const b = c.map.getBounds();
      return { zoom: c.map.getZoom(), bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
    };
  }, []);

  return (
    <BackendProvider backend={backend}>
      <div className="app">
        <Header districtName={overview?.name ?? null} search={<SearchBox backend={backend} onPick={onSearchPick} />}>
          {backend && session?.role === 'admin' && (
            <button
              type="button"
              className={`header-action${ui.editing ? ' active' : ''}`}
              onClick={() => {
                setOverlay({ type: 'FeatureCollection', features: [] });
                dispatch({ type: 'toggle-editing' });
              }}
              data-testid="edit-open"
              aria-pressed={ui.editing}
            >
              {t('edit.open')}
            </button>
          )}
          {backend && session && ['admin', 'command', 'planner'].includes(session.role) && (
            <button
              type="button"
              className={`header-action${classifyOpen ? ' active' : ''}`}
              onClick={() => {
                setClassifyShow(null);
                setClassifyOpen((o) => !o);
              }}
              aria-pressed={classifyOpen}
              data-testid="classify-open"
            >
              {t('classify.open')}
            </button>
          )}
          {backend && (session?.role === 'admin' || session?.role === 'worker') && (
            <button type="button" className="header-action" onClick={() => setImportOpen(true)} data-testid="import-open">
              {t('import.open')}
            </button>
          )}
          <SessionMenu session={session} demoMembers={demoMembers} disabled={!backend} onSignIn={signIn} onSignOut={signOut} />
        </Header>
        <main className="workspace">
          <MapView
            style={style}
            initialBounds={initialBounds}
            locale={mapLocale}
            fitTo={fitTo}
            cells={displayCells}
            communities={displayCommunities}
            model={model}
            onSelect={(selection, { additive }) =>
              ui.editing
                ? dispatch({ type: 'edit-pick', code: selection?.type === 'cell' ? selection.code : null, additive })
                : dispatch({ type: 'select', selection })
            }
            onZoom={setZoom}
            onError={(m) => setMapError(t('map.basemapError', { message: m }))}
            onIdle={({ cellsDrawn }) => {
              hooks().cellsDrawn = cellsDrawn;
            }}
            onVertexDrag={ui.editing ? onVertexDrag : undefined}
            onController={onController}
          />
          <LayerPanel
            layers={ui.layers}
            counts={overview?.counts ?? null}
            loading={loadingLayers}
            onToggle={(layer) => dispatch({ type: 'toggle-layer', layer })}
            onExport={cells && cells.features.length > 0 ? (format) => void downloadCells(cells, format) : undefined}
            problemsShown={ui.editing && problemsShown}
          />
          {ui.editing && backend && cells && (
            <Suspense fallback={<PanelLoading />}>
              <GridEditPanel
                backend={backend}
                cells={cells}
                communities={communities}
                picked={ui.editCodes}
                vertexMove={vertexMove}
                vertexToleranceDegrees={displayCrs === 'wgs84' ? 1e-9 : 1e-7}
                onPick={(codes) => dispatch({ type: 'edit-set', codes })}
                drawLine={drawLine}
                drawPolygon={drawPolygon}
                onOverlay={(shapes) => {
                  setProblemsShown(shapes.features.some((f) => f.properties?.kind === 'problem'));
                  setOverlay(convertForDisplay(shapes, displayCrs));
                }}
                zoomTo={(lngLat) => controller.current?.map.jumpTo({ center: fromWgs84(lngLat, displayCrs), zoom: 17 })}
                onEdited={reloadGrid}
                onClose={() => {
                  controller.current?.cancelDraw();
                  setOverlay({ type: 'FeatureCollection', features: [] });
                  dispatch({ type: 'toggle-editing' });
                }}
              />
            </Suspense>
          )}
          {ui.layers.heat && (
            <Suspense fallback={<PanelLoading />}>
              <HeatPanel
                settings={ui.heat}
                range={heat.range}
                categories={heat.categories}
                status={heat.status}
                hotspots={heat.hotspots}
                chart={heat.chart}
                chartScopes={heat.chartScopes}
                playing={heat.playing}
                recording={heat.recording}
                onChange={(settings) => dispatch({ type: 'heat-set', settings })}
                onChartScope={heat.setChartScope}
                onPlay={heat.play}
                onRecord={() => heat.record(t('heat.recordUnsupported'))}
                onClose={() => dispatch({ type: 'set-layer', layer: 'heat', visible: false })}
              />
            </Suspense>
          )}
          {classifyOpen && backend && !ui.editing && (
            <Suspense fallback={<PanelLoading />}>
              <ClassifyPanel
                backend={backend}
                canApply={session?.role === 'admin'}
                categories={heat.categories}
                show={classifyShow}
                onSelectCell={(code) => dispatch({ type: 'select', selection: { type: 'cell', code } })}
                onApplied={() => void reloadGrid()}
                onClose={() => setClassifyOpen(false)}
              />
            </Suspense>
          )}
          {inspector && !ui.editing && (
            <Inspector
              content={inspector}
              canOverride={session?.role === 'admin'}
              onOpenRuleSet={
                session && ['admin', 'command', 'planner'].includes(session.role)
                  ? (ruleSet) => {
                      setClassifyShow(ruleSet);
                      setClassifyOpen(true);
                    }
                  : undefined
              }
              onCellChanged={() => {
                void reloadGrid();
                // Select the cell again: the inspector reloads it.
                if (ui.selection) dispatch({ type: 'select', selection: { ...ui.selection } });
              }}
              onClose={() => dispatch({ type: 'select', selection: null })}
            />
          )}
          {importOpen && backend && (
            <Suspense fallback={<PanelLoading />}>
              <ImportDialog
                backend={backend}
                geocoder={config.geocoder}
                cells={cells}
                pickPoint={async () => {
                  const lngLat = (await controller.current?.pickLngLat()) ?? null;
                  return lngLat && toWgs84(lngLat, displayCrs);
                }}
                onImported={reloadKind}
                onClose={() => setImportOpen(false)}
              />
            </Suspense>
          )}
          <BootStatus
            progress={progress}
            error={bootError}
            onRetry={() => setBootAttempt((a) => ({ n: a.n + 1, fresh: false }))}
            onReset={() => setBootAttempt((a) => ({ n: a.n + 1, fresh: true }))}
          />
          {mapError && (
            <div className="map-error" role="alert">
              {mapError}
              <button type="button" onClick={() => setMapError(null)} aria-label={t('inspector.close')}>
                ×
              </button>
            </div>
          )}
        </main>
      </div>
    </BackendProvider>
  );
}
