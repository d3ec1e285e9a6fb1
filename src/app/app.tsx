import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppConfig } from '../config';
import {
  type AdminAreaProperties,
  type Backend,
  BackendError,
  type CellProperties,
  type DistrictOverview,
  type PointColumns,
  type Session,
  type SignInRequest,
} from '../data/backend';
import { BackendProvider } from '../data/backend-context';
import type { BootProgress } from '../data/embedded/boot-progress';
import type { BBox, LngLat, PointKind } from '../domain/ids';
import { convertForDisplay, convertPointsForDisplay } from '../geo/convert-for-display';
import type { MapController } from '../map/map-controller';
import { MapView } from '../map/map-view';
import { type LabelFeature, renderModel } from '../map/render-model';
import { initialUiState, type LayerKey, uiReducer } from '../state/ui-state';
import { BootStatus } from '../ui/boot-status';
import { Header } from '../ui/header';
import { ImportDialog } from '../ui/import-dialog';
import { Inspector, type InspectorContent } from '../ui/inspector';
import { LayerPanel } from '../ui/layer-panel';
import { SessionMenu } from '../ui/session-menu';
import { loadBackend } from './load-backend';

export interface AppProps {
  config: AppConfig;
  style: StyleSpecification | string;
  initialBounds: BBox | null;
  labels: LabelFeature[];
}

const ACTING_AS_KEY = 'gridatlas.actingAs';

/** State flags the browser tests wait on (never sleeps). */
interface TestHooks {
  bootStage: string;
  cellsLoaded: number;
  cellsDrawn: boolean;
  pointsLoaded: Partial<Record<PointKind, number>>;
  reopened: boolean;
  project(lngLat: LngLat): [number, number] | null;
  /** Moves the map to a position and zoom at once (no animation). */
  flyTo(lngLat: LngLat, zoom: number): void;
  /** Returns the id and position of the i-th loaded point of a kind. */
  pointAt(kind: PointKind, i: number): { id: string; lngLat: LngLat } | null;
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
    cellsDrawn: false,
    pointsLoaded: {},
    reopened: false,
    project: () => null,
    flyTo: () => undefined,
    pointAt: () => null,
  };
  return window.__gridatlas;
}

function errorText(t: (k: string) => string, error: unknown): string {
  if (error instanceof BackendError) return `${t(`error.${error.code}`)}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The app shell: boots the backend, loads what the map shows, and wires panels to the map. */
export function App({ config, style, initialBounds, labels }: AppProps) {
  const { t } = useTranslation();
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  const [backend, setBackend] = useState<Backend | null>(null);
  const [progress, setProgress] = useState<BootProgress | null>({ stage: 'check' });
  const [bootError, setBootError] = useState<string | null>(null);
  const [bootAttempt, setBootAttempt] = useState({ n: 0, fresh: false });
  const [session, setSession] = useState<Session | null>(null);
  const [demoMembers, setDemoMembers] = useState<Session[]>([]);
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
  const [dataVersion, setDataVersion] = useState(0);
  const requested = useRef(new Set<PointKind>());

  // Boot the backend; the map is already usable meanwhile.
  useEffect(() => {
    let cancelled = false;
    setBootError(null);
    const saved = localStorage.getItem(ACTING_AS_KEY) ?? undefined;
    const boot = loadBackend(config, { attempt: bootAttempt.n, fresh: bootAttempt.fresh, userId: saved }, (p) => {
      if (cancelled) return;
      setProgress(p);
      hooks().bootStage = p.stage;
      hooks().reopened = p.reopened ?? false;
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

  // On every session change: who we are, then everything visible to us.
  const loadAll = useCallback(
    async (b: Backend) => {
      const s = await b.getSession();
      setSession(s);
      setDemoMembers(await b.listDemoMembers());
      requested.current.clear();
      setPoints({});
      hooks().pointsLoaded = {};
      if (s.role === 'anon') {
        setOverview(null);
        setCells({ type: 'FeatureCollection', features: [] });
        return;
      }
      const [o, c, a] = await Promise.all([b.getDistrictOverview(), b.listCells(), b.listAdminAreas('community')]);
      setOverview(o);
      setCells(c);
      setCommunities(a);
      hooks().cellsLoaded = c.features.length;
      if (!initialBounds && o.bbox) setFitTo(o.bbox);
    },
    [initialBounds],
  );

  useEffect(() => {
    if (!backend) return;
    loadAll(backend).catch((error: unknown) => setBootError(errorText(t, error)));
  }, [backend, loadAll, t]);

  // Point layers load the first time they are switched on, and again after an import.
  // biome-ignore lint/correctness/useExhaustiveDependencies: dataVersion is the signal to load again.
  useEffect(() => {
    if (!backend || !session || session.role === 'anon') return;
    for (const kind of ['event', 'person', 'place', 'thing', 'organisation'] as const) {
      if (!ui.layers[kind] || requested.current.has(kind)) continue;
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
    if (!selection || !backend) {
      setInspector(null);
      return;
    }
    let cancelled = false;
    setInspector({ type: 'loading' });
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
  }, [ui.selection, backend, t]);

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
  const model = useMemo(() => renderModel(ui, { points: displayPoints, labels }, zoom), [ui, displayPoints, labels, zoom]);
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

  const signIn = async (request: SignInRequest) => {
    if (!backend) return;
    await backend.signIn(request);
    if (request.kind === 'demo') localStorage.setItem(ACTING_AS_KEY, request.userId);
    dispatch({ type: 'select', selection: null });
    await loadAll(backend);
  };
  const signOut = async () => {
    if (!backend) return;
    await backend.signOut();
    dispatch({ type: 'select', selection: null });
    await loadAll(backend);
  };

  const onController = useCallback((c: MapController | null) => {
    controller.current = c;
    // A new map has not drawn anything yet.
    hooks().cellsDrawn = false;
    hooks().project = (lngLat) => c?.project(lngLat) ?? null;
    hooks().flyTo = (lngLat, zoom) => c?.map.jumpTo({ center: lngLat, zoom });
  }, []);

  return (
    <BackendProvider backend={backend}>
      <div className="app">
        <Header districtName={overview?.name ?? null}>
          {backend && (session?.role === 'admin' || session?.role === 'worker') && (
            <button type="button" className="header-action" onClick={() => setImportOpen(true)} data-testid="import-open">
              {t('import.open')}
            </button>
          )}
          <SessionMenu session={session} demoMembers={demoMembers} onSignIn={signIn} onSignOut={signOut} />
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
            onSelect={(selection) => dispatch({ type: 'select', selection })}
            onZoom={setZoom}
            onError={(m) => setMapError(t('map.basemapError', { message: m }))}
            onIdle={({ cellsDrawn }) => {
              hooks().cellsDrawn = cellsDrawn;
            }}
            onController={onController}
          />
          <LayerPanel
            layers={ui.layers}
            counts={overview?.counts ?? null}
            loading={loadingLayers}
            onToggle={(layer) => dispatch({ type: 'toggle-layer', layer })}
          />
          {inspector && <Inspector content={inspector} onClose={() => dispatch({ type: 'select', selection: null })} />}
          {importOpen && backend && <ImportDialog backend={backend} onImported={reloadKind} onClose={() => setImportOpen(false)} />}
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
