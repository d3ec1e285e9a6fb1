import { bbox } from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppConfig } from '../config';
import type { SignInRequest } from '../data/backend';
import { BackendProvider } from '../data/backend-context';
import type { BootSnapshot } from '../data/boot-snapshot';
import type { BackupSummary } from '../data/embedded/backup';
import { dropSnapshots } from '../data/embedded/snapshot-store';
import type { BBox, CellCode, LngLat, PointKind } from '../domain/ids';
import { feedKey } from '../domain/live';
import { PLATE_PARAM, plateCodeOf } from '../domain/plates';
import type { PointColumns } from '../domain/records';
import { type AtlasRequest, atlasRequestOf, type ReportRequest, reportRequestOf, reportSubjectOf, withoutReport } from '../domain/reports';
import { convertForDisplay, convertPointsForDisplay } from '../geo/convert-for-display';
import { fromWgs84, toWgs84 } from '../geo/crs-china';
import { EVENT_CATEGORY_NAMES } from '../i18n/categories';
import type { MapController } from '../map/map-controller';
import { MapView } from '../map/map-view';
import { type LabelFeature, type LiveHighlight, renderModel } from '../map/render-model';
import { initialUiState, uiReducer } from '../state/ui-state';
import { sceneBBox, WALL_INTERVALS_SECONDS } from '../state/wall';
import { playAlertSound } from '../ui/alert-sound';
import { BootStatus } from '../ui/boot-status';
import type { CasesRequest } from '../ui/cases-panel';
import { errorText } from '../ui/error-text';
import { formatCount, formatTime } from '../ui/format';
import { Header } from '../ui/header';
import { Inspector } from '../ui/inspector';
import { LayerPanel } from '../ui/layer-panel';
import { OutboxContext } from '../ui/outbox-context';
import { OutboxPanel } from '../ui/outbox-panel';
import { PatrolBanner } from '../ui/patrol-banner';
import { PickedCells } from '../ui/picked-cells';
import { SearchBox, type SearchPick } from '../ui/search-box';
import { SessionMenu } from '../ui/session-menu';
import { caseDraft } from './case-draft';
import { downloadCells } from './download-cells';
import { releaseBoot } from './load-backend';
import { hooks, publishMap, usePublishedData } from './test-hooks';
import { useCasePoints } from './use-case-points';
import { useDistrict } from './use-district';
import { useEditHistory } from './use-edit-history';
import { useGridDrawing } from './use-grid-drawing';
import { useHeatmap } from './use-heatmap';
import { useInspector } from './use-inspector';
import { LIVE_POLL_MS, useAlerts, useDataChanges, useLiveNow } from './use-live-now';
import { useOutbox } from './use-outbox';
import { usePatrol } from './use-patrol';
import { usePoints } from './use-points';
import { useWall } from './use-wall';
import { useWorkerHome } from './use-worker-home';

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
const CasesPanel = lazy(() => import('../ui/cases-panel').then((m) => ({ default: m.CasesPanel })));
const NowPanel = lazy(() => import('../ui/now-panel').then((m) => ({ default: m.NowPanel })));
const ComparePanel = lazy(() => import('../ui/compare-panel').then((m) => ({ default: m.ComparePanel })));
const AtlasSheet = lazy(() => import('../ui/atlas-sheet').then((m) => ({ default: m.AtlasSheet })));
const ZoneReport = lazy(() => import('../ui/zone-report').then((m) => ({ default: m.ZoneReport })));
const AreaReport = lazy(() => import('../ui/area-report').then((m) => ({ default: m.AreaReport })));
const GovernancePanel = lazy(() => import('../ui/governance-panel').then((m) => ({ default: m.GovernancePanel })));
const WorkerHome = lazy(() => import('../ui/worker-home').then((m) => ({ default: m.WorkerHome })));
const PlatePage = lazy(() => import('../ui/plate-page').then((m) => ({ default: m.PlatePage })));
const PlateSheet = lazy(() => import('../ui/plate-sheet').then((m) => ({ default: m.PlateSheet })));
const WallScreen = lazy(() => import('../ui/wall-screen').then((m) => ({ default: m.WallScreen })));
const ImportDialog = lazy(() => import('../ui/import-dialog').then((m) => ({ default: m.ImportDialog })));
const ExportDialog = lazy(() => import('../ui/export-dialog').then((m) => ({ default: m.ExportDialog })));
const BackupDialog = lazy(() => import('../ui/backup-dialog').then((m) => ({ default: m.BackupDialog })));
/** Where a restore leaves its summary for the page that opens after it. */
const RESTORED_KEY = 'gridatlas.restored';
/** Whether new alerts chime ('off' when switched off). */
const ALERT_SOUND_KEY = 'gridatlas.alertSound';

/** People are personal: planners get them as counts per cell, never as points (the database gives them none). */
const PLANNER_COUNTS_ONLY = ['person'] as const;

/** Whether the page is as narrow as a phone's (panels are bottom sheets, one at a time). */
const isPhone = () => window.matchMedia('(max-width: 640px)').matches;

/**
 * Room to leave around a box the map shows beside the panels: on a phone above the bottom sheet
 * (70 % of the height at most); on a desktop right of the home screen (or a plate's page) and left of the inspector.
 */
function besidePanels(canvas: HTMLElement): { top: number; right: number; bottom: number; left: number } {
  const map = canvas.getBoundingClientRect();
  if (isPhone()) return { top: 24, left: 24, right: 24, bottom: Math.round(map.height * 0.7) };
  // The panel open on the left: the home screen, or a house plate's page.
  const home = document.querySelector('[data-testid="worker-home"], [data-testid="plate-page"]')?.getBoundingClientRect();
  const left = home ? Math.max(24, home.right - map.left + 24) : 24;
  // The inspector (about 340 px) opens on the right; a window too narrow for both shows the box whole.
  const right = 360;
  // The comparison docked at the map's foot.
  const docked = document.querySelector('[data-testid="compare-panel"]')?.getBoundingClientRect();
  const bottom = docked ? Math.max(24, Math.min(map.height - 200, map.bottom - docked.top + 24)) : 24;
  return map.width - left - right >= 240 ? { top: 24, bottom, left, right } : { top: 24, bottom, left: 24, right: 24 };
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

/** The app shell: boots the backend, loads what the map shows, and wires panels to the map. */
export function App({ config, style, initialBounds, labels, actingAs, snapshot }: AppProps) {
  const { t, i18n } = useTranslation();
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  const district = useDistrict(config, actingAs, snapshot, initialBounds);
  const { backend, session, overview, cells, communities } = district;
  const [mapError, setMapError] = useState<string | null>(null);
  const { points, loading: loadingLayers, reload: reloadPoints } = usePoints(backend, session, ui.layers, setMapError);
  const inspector = useInspector(ui.selection, backend, cells);
  const [editHistory, editHistoryDispatch] = useEditHistory(session);
  const [zoom, setZoom] = useState(12);
  const controller = useRef<MapController | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [backupOpen, setBackupOpen] = useState(false);
  // What a restore just put in place, said once on the page it reopened.
  const [restored] = useState<BackupSummary | null>(() => {
    try {
      const text = window.sessionStorage.getItem(RESTORED_KEY);
      window.sessionStorage.removeItem(RESTORED_KEY);
      return text ? (JSON.parse(text) as BackupSummary) : null;
    } catch {
      return null;
    }
  });
  const [restoredShown, setRestoredShown] = useState(true);
  const [classifyOpen, setClassifyOpen] = useState(false);
  const [casesOpen, setCasesOpen] = useState(false);
  const [casesRequest, setCasesRequest] = useState<CasesRequest | null>(null);
  /** Counts changes to cases made here: the case layer loads again. */
  const [casesVersion, setCasesVersion] = useState(0);
  const casePoints = useCasePoints(backend, session, ui.layers.cases, casesVersion, setMapError);
  const [nowOpen, setNowOpen] = useState(false);
  /** Counts the changes committed anywhere (this page's too): the live view loads again. */
  const [changeSeq, setChangeSeq] = useState(0);
  /** The wall screen (大屏): on from the live view, or at once with ?wall in the address (a kiosk). */
  const [wallOn, setWallOn] = useState(false);
  /** The wall screen's street, outlined on the map (WGS-84), or null. */
  const [wallFocus, setWallFocus] = useState<FeatureCollection | null>(null);
  /** Whether the wall screen's layout is on the page (its map box is measured from it). */
  const [wallMounted, setWallMounted] = useState(false);
  const live = useLiveNow(backend, session, nowOpen || wallOn, changeSeq, wallOn);
  const wall = useWall(wallOn, setWallOn, live.streets);
  const [soundOn, setSoundOn] = useState(() => window.localStorage.getItem(ALERT_SOUND_KEY) !== 'off');
  // The command centre watches the alerts always (the badge, the chime); an administrator while the live view is open.
  const alerts = useAlerts(
    backend,
    session,
    session?.role === 'command' || (session?.role === 'admin' && (nowOpen || wallOn)),
    changeSeq,
    () => {
      if (!soundOn) return;
      hooks().alertsSounded += 1;
      playAlertSound();
    },
  );
  const openAlerts = alerts.alerts?.open ?? 0;
  const patrol = usePatrol(backend, session);
  /** The grid worker's home screen (工作台): theirs on a phone from the start. */
  const [homeOpen, setHomeOpen] = useState(false);
  /** The risk governance stages, of a cell (or the district, cell null) when open. */
  const [governance, setGovernance] = useState<{ cell: { code: string; name: string } | null } | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  /** The comparison of cells or communities (docked at the map's foot). */
  const [compareOpen, setCompareOpen] = useState(false);
  /** Who compares cells and prints reports and atlases (a department's officers work their cases). */
  const canCompare = Boolean(backend && session && ['admin', 'command', 'planner', 'worker'].includes(session.role));
  /** The cell whose zone report is open (?report=CODE&from=…&to=… opens one, as the CLI does). */
  const [zoneReport, setZoneReport] = useState<ReportRequest | null>(() => reportRequestOf(window.location.href));
  /** The atlas open (?atlas=community:CODE|class:A|cells:CODE,…&from=…&to=… opens one, as the CLI does). */
  const [atlas, setAtlas] = useState<AtlasRequest | null>(() => atlasRequestOf(window.location.href));
  const closeZoneReport = useCallback(() => {
    setZoneReport(null);
    setAtlas(null);
    // The address bar no longer opens the report on a reload.
    if (reportRequestOf(window.location.href) || atlasRequestOf(window.location.href))
      window.history.replaceState(window.history.state, '', withoutReport(window.location.href));
  }, []);
  /** The house plate whose page is open: a scanned QR opens the app on it (?plate=CODE). */
  const [plateCode, setPlateCode] = useState<string | null>(() => plateCodeOf(window.location.href));
  /** The sheet of house plates to print, of a cell (and its community). */
  const [plateSheet, setPlateSheet] = useState<{
    cell: { code: string; name: string };
    community: { code: string; name: string } | null;
  } | null>(null);
  /** Where the open plate's door is (WGS-84), ringed on the map. */
  const [plateDoor, setPlateDoor] = useState<LngLat | null>(null);
  const closePlate = useCallback(() => {
    setPlateCode(null);
    setPlateDoor(null);
    // The address bar no longer opens the plate on a reload.
    const url = new URL(window.location.href);
    if (url.searchParams.has(PLATE_PARAM)) {
      url.searchParams.delete(PLATE_PARAM);
      window.history.replaceState(window.history.state, '', url);
    }
  }, []);
  const home = useWorkerHome(backend, session, homeOpen, changeSeq + casesVersion + patrol.version);
  /** Reports and steps made without a network, sent when it is back. */
  const [outboxOpen, setOutboxOpen] = useState(false);
  const [outboxNotice, setOutboxNotice] = useState<string | null>(null);
  const outbox = useOutbox(backend, session?.userId ?? null, (result) => {
    setCasesVersion((v) => v + 1);
    const said = [
      result.sent.length > 0 ? t('outbox.sent', { count: result.sent.length }) : '',
      result.refused.length > 0 ? t('outbox.refusedNotice', { count: result.refused.length }) : '',
    ];
    setOutboxNotice(said.filter(Boolean).join(' '));
  });
  useEffect(() => {
    if (!outboxNotice) return;
    const timer = window.setTimeout(() => setOutboxNotice(null), 8000);
    return () => window.clearTimeout(timer);
  }, [outboxNotice]);
  const worker = session?.role === 'worker';
  useEffect(() => {
    setHomeOpen(worker && isPhone());
    if (worker && isPhone()) setCasesOpen(false);
  }, [worker]);

  const [problemsShown, setProblemsShown] = useState(false);
  /** What the editing panel draws over the cells (display coordinates). */
  const [overlay, setOverlay] = useState<FeatureCollection | null>(null);
  /** The rule set the classification panel shows, when opened from a cell's class. */
  const [classifyShow, setClassifyShow] = useState<{ name: string; version: number } | null>(null);

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
  /** The built-in basemap's roads, which the printed maps draw (another basemap's are not a file). */
  const roadsUrl = config.basemap.kind === 'builtin' ? new URL('roads.geojson', config.demoBaseUrl).href : null;
  const displayCells = useMemo(() => (cells ? convertForDisplay(cells, displayCrs) : null), [cells, displayCrs]);
  const displayCommunities = useMemo(() => (communities ? convertForDisplay(communities, displayCrs) : null), [communities, displayCrs]);
  const displayPoints = useMemo(() => {
    const out: typeof points = {};
    for (const [kind, columns] of Object.entries(points) as Array<[PointKind, PointColumns]>)
      out[kind] = convertPointsForDisplay(columns, displayCrs);
    return out;
  }, [points, displayCrs]);
  const displayCases = useMemo(() => {
    const c = casePoints.cases;
    if (!c || displayCrs === 'wgs84') return c;
    const lng = new Array<number>(c.ids.length);
    const lat = new Array<number>(c.ids.length);
    c.lng.forEach((x, i) => {
      [lng[i], lat[i]] = fromWgs84([x, c.lat[i] as number], displayCrs);
    });
    return { ...c, lng, lat };
  }, [casePoints.cases, displayCrs]);
  const heat = useHeatmap({
    on: ui.layers.heat,
    settings: ui.heat,
    events: points.event,
    cells,
    districtBBox: overview?.bbox ?? null,
    selection: ui.selection,
    displayCrs,
    dispatch,
    canvas: () => controller.current?.canvas() ?? null,
    caption: (from, to) =>
      `${t('heat.title')}  ${formatTime(from, i18n.language, ui.heat.step === 'hour')} – ${formatTime(to, i18n.language, ui.heat.step === 'hour')}`,
    onError: setMapError,
    onComputed: (info) => {
      hooks().heat = { ...info, seq: (hooks().heat?.seq ?? 0) + 1 };
    },
  });
  useEffect(() => {
    hooks().isobands = heat.bands?.features.length ?? 0;
  }, [heat.bands]);
  useEffect(() => {
    hooks().hotspots = heat.hotspots ? { classes: heat.hotspots.classes, trends: heat.hotspots.trends } : null;
  }, [heat.hotspots]);
  /** Each significant cell's hot-spot class and trend, as the heatmap last computed them (for the governance stages). */
  const hotspotByCell = useMemo(
    () =>
      heat.hotspots
        ? new Map(
            heat.hotspots.shapes.features.map((f) => [
              String(f.properties?.code),
              { bin: Number(f.properties?.hotspot), trend: (f.properties?.trend as string | null) ?? null },
            ]),
          )
        : null,
    [heat.hotspots],
  );
  const drawing = useGridDrawing({ controller, displayCells, displayCrs, editing: ui.editing, editCodes: ui.editCodes });
  // Everything the map shows, in one model: a new map (another language or basemap) gets it whole.
  const shapes = useMemo(
    () => ({
      cells: displayCells,
      communities: displayCommunities,
      hotspots: heat.hotspots?.shapes ?? null,
      isobands: heat.bands ?? null,
      // The wall screen's street in place of the editing panel's shapes (the two never show together).
      overlay: wallOn && wallFocus ? convertForDisplay(wallFocus, displayCrs) : overlay,
    }),
    [displayCells, displayCommunities, heat.hotspots, heat.bands, overlay, wallOn, wallFocus, displayCrs],
  );
  // What just happened, ringed on the map while the live view is open; the door of an open house plate.
  const highlights = useMemo(
    (): LiveHighlight[] => [
      ...(nowOpen || wallOn
        ? [...live.fresh.values()].map((item) => ({ key: feedKey(item), kind: item.kind, lngLat: fromWgs84(item.lngLat, displayCrs) }))
        : []),
      ...(plateCode && plateDoor ? [{ key: `plate:${plateCode}`, kind: 'plate' as const, lngLat: fromWgs84(plateDoor, displayCrs) }] : []),
    ],
    [nowOpen, wallOn, live.fresh, displayCrs, plateCode, plateDoor],
  );
  const model = useMemo(
    () =>
      renderModel(
        ui,
        { points: displayPoints, cases: displayCases, labels, heat: heat.layer, shapes, vertexRings: drawing.vertexRings, highlights },
        zoom,
      ),
    [ui, displayPoints, displayCases, labels, heat.layer, zoom, shapes, drawing.vertexRings, highlights],
  );
  usePublishedData(displayCells, displayPoints);

  // The wall screen's map shows its scene's box in the space its bars and column leave free.
  const wallAllowed = session?.role === 'admin' || session?.role === 'command';
  const wallShown = wall.on && Boolean(backend) && wallAllowed;
  const wallBox = wallShown ? sceneBBox(wall.scene, overview?.bbox ?? null, alerts.alerts?.alerts ?? []) : null;
  const wallBoxKey = wallBox && wallMounted ? `${wall.index}:${wallBox.join(',')}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key names the box and scene; a new box flies there.
  useEffect(() => {
    const map = controller.current;
    const view = document.querySelector('[data-testid="wall-view"]')?.getBoundingClientRect();
    const whole = map?.canvas().getBoundingClientRect();
    if (!wallBox || !map || !view || !whole) return;
    const [w, s] = fromWgs84([wallBox[0], wallBox[1]], displayCrs);
    const [e, n] = fromWgs84([wallBox[2], wallBox[3]], displayCrs);
    map.fitBounds([w, s, e, n], {
      durationMs: 1200,
      maxZoom: 16,
      padding: {
        top: Math.max(0, view.top - whole.top) + 24,
        left: Math.max(0, view.left - whole.left) + 24,
        right: Math.max(0, whole.right - view.right) + 24,
        bottom: Math.max(0, whole.bottom - view.bottom) + 24,
      },
    });
  }, [wallBoxKey]);
  // A kiosk opens the wall screen at once with ?wall in the address (once the user may see it).
  const wallAsked = useRef(new URLSearchParams(window.location.search).has('wall'));
  // biome-ignore lint/correctness/useExhaustiveDependencies: entering once, when the user may.
  useEffect(() => {
    if (wallAsked.current && backend && wallAllowed) {
      wallAsked.current = false;
      wall.enter();
    }
  }, [backend, wallAllowed]);

  /** After an import: the counts and the imported kind's points as they are now. */
  const reloadKind = (kind: PointKind) => {
    reloadPoints(kind);
    district.reloadOverview().catch((error: unknown) => setMapError(errorText(t, error)));
  };

  // What others commit (another tab; another user in supabase mode) reaches the map and the live view.
  useDataChanges(
    backend,
    (topics) => {
      hooks().changesHeard += 1;
      if (topics.has('cases')) setCasesVersion((v) => v + 1);
      if (topics.has('events') && points.event) reloadKind('event');
      else if (topics.has('events') || topics.has('entities')) district.reloadOverview().catch(() => undefined);
      if (topics.has('grid')) void district.reloadGrid();
    },
    () => setChangeSeq((n) => n + 1),
  );

  /** Acts as another user, or signs out (null): nothing stays selected or open for editing. */
  const switchSession = async (request: SignInRequest | null) => {
    dispatch({ type: 'select', selection: null });
    if (ui.editing) dispatch({ type: 'toggle-editing' });
    // The cases panel stays open, on the new user's list.
    setCasesRequest(null);
    setGovernance(null);
    await district.switchSession(request);
  };

  /** A search result: the map goes there, and what it found is inspected. */
  const onSearchPick = (pick: SearchPick) => {
    const map = controller.current;
    if (!map) return;
    if (pick.kind === 'area' || pick.kind === 'cell') {
      const [w, s] = fromWgs84([pick.bbox[0], pick.bbox[1]], displayCrs);
      const [e, n] = fromWgs84([pick.bbox[2], pick.bbox[3]], displayCrs);
      map.fitBounds([w, s, e, n]);
    } else map.jumpTo(fromWgs84(pick.lngLat, displayCrs), 18);
    if (pick.kind === 'cell') dispatch({ type: 'select', selection: { type: 'cell', code: pick.code } });
    else if (pick.kind === 'point') dispatch({ type: 'select', selection: { type: 'point', kind: pick.pointKind, id: pick.id } });
    else if (pick.kind === 'address' && pick.cellCode) dispatch({ type: 'select', selection: { type: 'cell', code: pick.cellCode } });
  };

  /** A position the user clicks on the map, in WGS-84 (null: cancelled with Escape). */
  const pickPoint = async () => {
    const lngLat = (await controller.current?.pickLngLat()) ?? null;
    return lngLat && toWgs84(lngLat, displayCrs);
  };
  // Cases are reported in the events' categories (every one the demo knows when events are not loaded).
  const caseCategories = heat.categories.length > 0 ? heat.categories : [...EVENT_CATEGORY_NAMES];

  const onController = useCallback((c: MapController | null) => {
    controller.current = c;
    publishMap(c);
  }, []);

  return (
    <BackendProvider backend={backend}>
      <OutboxContext.Provider value={outbox}>
        <div className={wallShown ? 'app wall-on' : 'app'}>
          <Header
            districtName={overview?.name ?? null}
            search={<SearchBox backend={backend} onPick={onSearchPick} />}
            status={
              backend &&
              (outbox.items.length > 0 || !outbox.online) && (
                <button
                  type="button"
                  className={`header-action outbox-toggle${outbox.online ? '' : ' offline'}${outboxOpen ? ' active' : ''}`}
                  onClick={() => setOutboxOpen((o) => !o)}
                  aria-pressed={outboxOpen}
                  data-testid="outbox-toggle"
                >
                  {outbox.online ? t('outbox.open') : t('outbox.offlineBadge')}
                  {outbox.items.length > 0 && (
                    <span className="badge" data-testid="outbox-count">
                      {formatCount(outbox.items.length, i18n.language)}
                    </span>
                  )}
                </button>
              )
            }
          >
            {backend && worker && (
              <button
                type="button"
                className={`header-action${homeOpen ? ' active' : ''}`}
                onClick={() => {
                  setCasesOpen(false);
                  setGovernance(null);
                  setHomeOpen((o) => !o);
                }}
                aria-pressed={homeOpen}
                data-testid="home-open"
              >
                {t('home.open')}
              </button>
            )}
            {backend && session?.role === 'admin' && (
              <button
                type="button"
                className={`header-action${ui.editing ? ' active' : ''}`}
                onClick={() => {
                  setOverlay(null);
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
                  setCasesOpen(false);
                  setNowOpen(false);
                  setGovernance(null);
                  setClassifyOpen((o) => !o);
                }}
                aria-pressed={classifyOpen}
                data-testid="classify-open"
              >
                {t('classify.open')}
              </button>
            )}
            {canCompare && (
              <button
                type="button"
                className={`header-action${compareOpen ? ' active' : ''}`}
                onClick={() => setCompareOpen((o) => !o)}
                aria-pressed={compareOpen}
                data-testid="compare-open"
              >
                {t('compare.open')}
              </button>
            )}
            {backend && session && (session.role === 'admin' || session.role === 'command') && (
              <button
                type="button"
                className={`header-action${nowOpen ? ' active' : ''}`}
                onClick={() => {
                  setClassifyOpen(false);
                  setCasesOpen(false);
                  setGovernance(null);
                  setNowOpen((o) => !o);
                }}
                aria-pressed={nowOpen}
                data-testid="now-open"
              >
                {t('now.open')}
                {openAlerts > 0 && (
                  <span className="badge" data-testid="alerts-badge" title={t('alerts.title', { n: openAlerts })}>
                    {formatCount(openAlerts, i18n.language)}
                  </span>
                )}
              </button>
            )}
            {backend && session && session.role !== 'anon' && (
              <button
                type="button"
                className={`header-action${casesOpen ? ' active' : ''}`}
                onClick={() => {
                  setClassifyOpen(false);
                  setNowOpen(false);
                  setHomeOpen(false);
                  setGovernance(null);
                  setCasesRequest(null);
                  setCasesOpen((o) => !o);
                }}
                aria-pressed={casesOpen}
                data-testid="cases-open"
              >
                {t('cases.open')}
              </button>
            )}
            {backend && (session?.role === 'admin' || session?.role === 'worker') && (
              <button type="button" className="header-action" onClick={() => setImportOpen(true)} data-testid="import-open">
                {t('import.open')}
              </button>
            )}
            {backend?.databaseFile && session?.role === 'admin' && (
              <button type="button" className="header-action" onClick={() => setBackupOpen(true)} data-testid="backup-open">
                {t('backup.open')}
              </button>
            )}
            <SessionMenu
              session={session}
              demoMembers={district.demoMembers}
              disabled={!backend}
              onSignIn={switchSession}
              onSignOut={() => switchSession(null)}
            />
          </Header>
          <main className="workspace">
            <MapView
              style={style}
              initialBounds={initialBounds}
              locale={mapLocale}
              fitTo={district.fitTo}
              // A grid worker's phone opens on the home sheet: their cells are shown above it.
              fitPadding={(map) => (worker && isPhone() ? besidePanels(map) : 24)}
              model={model}
              onSelect={(selection, { additive }) => {
                if (ui.editing) dispatch({ type: 'edit-pick', code: selection?.type === 'cell' ? selection.code : null, additive });
                // Shift-click picks a cell into the set to compare or print (or lets it go).
                else if (additive && selection?.type === 'cell') dispatch({ type: 'pick-toggle', code: selection.code });
                else {
                  dispatch({ type: 'select', selection });
                  // A case on the map opens on its page in the cases panel.
                  if (selection?.type === 'case') {
                    setClassifyOpen(false);
                    setNowOpen(false);
                    setCasesRequest({ kind: 'case', id: selection.id });
                    setCasesOpen(true);
                  }
                }
              }}
              onBoxSelect={(codes) => dispatch({ type: 'pick-set', codes: [...ui.picked, ...codes] })}
              onZoom={setZoom}
              onError={(m) => setMapError(t('map.basemapError', { message: m }))}
              onIdle={({ cellsDrawn }) => {
                hooks().cellsDrawn = cellsDrawn;
              }}
              onVertexDrag={ui.editing ? drawing.onVertexDrag : undefined}
              onController={onController}
              // The database's boot waited for the cells to be on the map (main.tsx).
              onCellsShown={releaseBoot}
            />
            {wallShown && (
              <Suspense fallback={<PanelLoading />}>
                <WallScreen
                  districtName={overview?.name ?? null}
                  scenes={wall.scenes}
                  index={wall.index}
                  paused={wall.paused}
                  intervalSeconds={wall.intervalSeconds}
                  intervals={WALL_INTERVALS_SECONDS}
                  now={live.now}
                  streets={live.streets}
                  alerts={alerts.alerts}
                  updatedAt={live.updatedAt}
                  error={live.error ?? alerts.error}
                  pushed={live.pushed}
                  staleAfterMs={3 * LIVE_POLL_MS}
                  fresh={live.fresh}
                  onMounted={setWallMounted}
                  communities={communities}
                  onFocus={setWallFocus}
                  onStep={wall.step}
                  onPause={wall.setPaused}
                  onInterval={wall.setIntervalSeconds}
                  onExit={wall.exit}
                />
              </Suspense>
            )}
            <LayerPanel
              layers={ui.layers}
              counts={overview?.counts ?? null}
              loading={{ ...loadingLayers, cases: casePoints.loading }}
              extraCounts={casePoints.cases ? { cases: casePoints.cases.ids.length } : undefined}
              onToggle={(layer) => dispatch({ type: 'toggle-layer', layer })}
              onExport={cells && cells.features.length > 0 ? (format) => void downloadCells(cells, format) : undefined}
              onExportData={backend && session && session.role !== 'anon' ? () => setExportOpen(true) : undefined}
              problemsShown={ui.editing && problemsShown}
              countsOnly={session?.role === 'planner' ? PLANNER_COUNTS_ONLY : undefined}
            />
            {ui.editing && backend && cells && (
              <Suspense fallback={<PanelLoading />}>
                <GridEditPanel
                  backend={backend}
                  cells={cells}
                  communities={communities}
                  picked={ui.editCodes}
                  vertexMove={drawing.vertexMove}
                  vertexToleranceDegrees={displayCrs === 'wgs84' ? 1e-9 : 1e-7}
                  onPick={(codes) => dispatch({ type: 'edit-set', codes })}
                  drawLine={drawing.drawLine}
                  drawPolygon={drawing.drawPolygon}
                  onOverlay={(shapes) => {
                    setProblemsShown(shapes.features.some((f) => f.properties?.kind === 'problem'));
                    setOverlay(convertForDisplay(shapes, displayCrs));
                  }}
                  zoomTo={(lngLat) => controller.current?.jumpTo(fromWgs84(lngLat, displayCrs), 17)}
                  onChanged={district.reloadGrid}
                  history={editHistory}
                  onHistory={editHistoryDispatch}
                  onClose={() => {
                    controller.current?.cancelDraw();
                    setOverlay(null);
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
                  onApplied={() => void district.reloadGrid()}
                  onClose={() => setClassifyOpen(false)}
                />
              </Suspense>
            )}
            {casesOpen && backend && session && !ui.editing && (
              <Suspense fallback={<PanelLoading />}>
                <CasesPanel
                  key={session.userId ?? 'anon'}
                  backend={backend}
                  role={session.role}
                  categories={caseCategories}
                  request={casesRequest}
                  pickPoint={pickPoint}
                  onLocate={(c) => {
                    controller.current?.jumpTo(fromWgs84(c.lngLat, displayCrs), 17);
                    // The cell's inspector beside the case; on a phone the case keeps the sheet.
                    if (c.cellCode && !isPhone()) dispatch({ type: 'select', selection: { type: 'cell', code: c.cellCode as CellCode } });
                  }}
                  onChanged={() => setCasesVersion((v) => v + 1)}
                  onClose={() => {
                    setCasesOpen(false);
                    // On a phone the grid worker goes back to their home screen.
                    if (worker && isPhone()) setHomeOpen(true);
                  }}
                />
              </Suspense>
            )}
            {plateCode && backend && session && session.role !== 'anon' && !casesOpen && !ui.editing && (
              <Suspense fallback={<PanelLoading />}>
                <PlatePage
                  key={`${session.userId}:${plateCode}`}
                  backend={backend}
                  code={plateCode}
                  onLocate={(at, cellCode) => {
                    setPlateDoor(at);
                    const map = controller.current;
                    const [w, s] = fromWgs84([at[0] - 0.0012, at[1] - 0.001], displayCrs);
                    const [e, n] = fromWgs84([at[0] + 0.0012, at[1] + 0.001], displayCrs);
                    if (map) map.fitBounds([w, s, e, n], { maxZoom: 18, padding: besidePanels(map.canvas()) });
                    if (cellCode && !isPhone()) dispatch({ type: 'select', selection: { type: 'cell', code: cellCode as CellCode } });
                  }}
                  onReport={
                    ['admin', 'command', 'worker'].includes(session.role)
                      ? (draft) => {
                          setClassifyOpen(false);
                          setNowOpen(false);
                          setHomeOpen(false);
                          setCasesRequest({ kind: 'report', draft });
                          setCasesOpen(true);
                        }
                      : undefined
                  }
                  onCase={(id) => {
                    setCasesRequest({ kind: 'case', id });
                    setCasesOpen(true);
                  }}
                  onPeopleChanged={() => reloadKind('person')}
                  onClose={() => {
                    closePlate();
                    if (worker && isPhone()) setHomeOpen(true);
                  }}
                />
              </Suspense>
            )}
            {plateSheet && backend && (
              <Suspense fallback={<PanelLoading />}>
                <PlateSheet
                  backend={backend}
                  cell={plateSheet.cell}
                  community={plateSheet.community}
                  appUrl={new URL(import.meta.env.BASE_URL, window.location.href).toString()}
                  onOpen={(code) => {
                    setPlateSheet(null);
                    setGovernance(null);
                    setCasesOpen(false);
                    setPlateCode(code);
                  }}
                  onClose={() => setPlateSheet(null)}
                />
              </Suspense>
            )}
            {atlas && backend && session && cells && (
              <Suspense fallback={<PanelLoading />}>
                <AtlasSheet
                  key={session.userId ?? 'anon'}
                  backend={backend}
                  scope={atlas.scope}
                  period={atlas}
                  cells={cells}
                  communities={communities}
                  districtName={overview?.name ?? null}
                  ownCellsOnly={session.role === 'worker'}
                  roadsUrl={roadsUrl}
                  onClose={closeZoneReport}
                />
              </Suspense>
            )}
            {zoneReport && reportSubjectOf(zoneReport.code) !== 'cell' && backend && session && cells && (
              <Suspense fallback={<PanelLoading />}>
                <AreaReport
                  key={`${session.userId}:${zoneReport.code}`}
                  backend={backend}
                  code={zoneReport.code}
                  period={zoneReport}
                  cells={cells}
                  communities={communities}
                  districtName={overview?.name ?? null}
                  ownCellsOnly={session.role === 'worker'}
                  onClose={closeZoneReport}
                />
              </Suspense>
            )}
            {zoneReport && reportSubjectOf(zoneReport.code) === 'cell' && backend && session && cells && (
              <Suspense fallback={<PanelLoading />}>
                <ZoneReport
                  key={`${session.userId}:${zoneReport.code}`}
                  backend={backend}
                  code={zoneReport.code}
                  period={zoneReport}
                  cells={cells}
                  ownCellsOnly={session.role === 'worker'}
                  roadsUrl={roadsUrl}
                  onClose={closeZoneReport}
                />
              </Suspense>
            )}
            {compareOpen && backend && session && !ui.editing && (
              <Suspense fallback={<PanelLoading />}>
                <ComparePanel
                  key={session.userId ?? 'anon'}
                  backend={backend}
                  selectedCode={ui.selection?.type === 'cell' ? ui.selection.code : null}
                  picked={ui.picked}
                  onPick={(codes) => dispatch({ type: 'pick-set', codes: codes as CellCode[] })}
                  onLocate={(group, code) => {
                    const map = controller.current;
                    const shapes = group === 'cell' ? cells : communities;
                    const features = shapes?.features.filter((f) => f.properties.code === code) ?? [];
                    if (map && features.length > 0) {
                      const box = bbox({ type: 'FeatureCollection', features });
                      const [w, s] = fromWgs84([box[0], box[1]], displayCrs);
                      const [e, n] = fromWgs84([box[2], box[3]], displayCrs);
                      map.fitBounds([w, s, e, n], { maxZoom: 17, padding: besidePanels(map.canvas()) });
                    }
                    if (group === 'cell') dispatch({ type: 'select', selection: { type: 'cell', code: code as CellCode } });
                  }}
                  onAtlas={(scope, period) => setAtlas({ scope, ...period })}
                  onAreaReport={(code, period) => setZoneReport({ code, ...period })}
                  onClose={() => setCompareOpen(false)}
                />
              </Suspense>
            )}
            {governance && backend && session && !ui.editing && (
              <Suspense fallback={<PanelLoading />}>
                <GovernancePanel
                  key={`${session.userId}:${governance.cell?.code ?? ''}`}
                  backend={backend}
                  cell={governance.cell}
                  categories={caseCategories}
                  hotspots={hotspotByCell}
                  ownCellsOnly={session.role === 'worker'}
                  onClose={() => setGovernance(null)}
                />
              </Suspense>
            )}
            {homeOpen && backend && worker && !casesOpen && !governance && !plateCode && (
              <Suspense fallback={<PanelLoading />}>
                <WorkerHome
                  cells={home.cells}
                  cases={home.cases}
                  error={home.error}
                  patrol={patrol.underWay}
                  patrolBusy={patrol.busy}
                  onReport={() => {
                    setHomeOpen(false);
                    setCasesRequest({ kind: 'report', draft: { source: 'grid_worker' }, locate: true });
                    setCasesOpen(true);
                  }}
                  onAllCases={() => {
                    setHomeOpen(false);
                    setCasesRequest(null);
                    setCasesOpen(true);
                  }}
                  onCase={(c) => {
                    setHomeOpen(false);
                    controller.current?.jumpTo(fromWgs84(c.lngLat, displayCrs), 17);
                    setCasesRequest({ kind: 'case', id: c.id });
                    setCasesOpen(true);
                  }}
                  onCell={(c) => {
                    const map = controller.current;
                    const [w, s] = fromWgs84([c.bbox[0], c.bbox[1]], displayCrs);
                    const [e, n] = fromWgs84([c.bbox[2], c.bbox[3]], displayCrs);
                    if (map) map.fitBounds([w, s, e, n], { maxZoom: 17, padding: besidePanels(map.canvas()) });
                    dispatch({ type: 'select', selection: { type: 'cell', code: c.code as CellCode } });
                    // On a phone the cell's inspector takes the sheet.
                    if (isPhone()) setHomeOpen(false);
                  }}
                  onPatrol={(c) => void patrol.start(c.code)}
                  onClose={() => setHomeOpen(false)}
                />
              </Suspense>
            )}
            {nowOpen && backend && session && !ui.editing && (
              <Suspense fallback={<PanelLoading />}>
                <NowPanel
                  now={live.now}
                  updatedAt={live.updatedAt}
                  error={live.error}
                  fresh={live.fresh}
                  pushed={live.pushed}
                  staleAfterMs={3 * LIVE_POLL_MS}
                  patrols={live.patrols}
                  cellName={(code) => cells?.features.find((f) => f.properties.code === code)?.properties.name ?? null}
                  onPatrol={(p) => {
                    const last = p.track?.[p.track.length - 1];
                    if (last) controller.current?.jumpTo(fromWgs84(last, displayCrs), 17);
                    dispatch({ type: 'select', selection: { type: 'cell', code: p.cellCode as CellCode } });
                  }}
                  alerts={{
                    alerts: alerts.alerts,
                    error: alerts.error,
                    categories: caseCategories,
                    soundOn,
                    onSound: (on) => {
                      setSoundOn(on);
                      window.localStorage.setItem(ALERT_SOUND_KEY, on ? 'on' : 'off');
                    },
                    onAcknowledge: alerts.acknowledge,
                    onSaveRule: alerts.saveRule,
                    onLocate: (a) => {
                      if (a.lngLat) controller.current?.jumpTo(fromWgs84(a.lngLat, displayCrs), 16);
                      if (a.caseId) {
                        setNowOpen(false);
                        setCasesRequest({ kind: 'case', id: a.caseId });
                        setCasesOpen(true);
                      } else if (a.cellCode) dispatch({ type: 'select', selection: { type: 'cell', code: a.cellCode as CellCode } });
                    },
                  }}
                  onCell={(c) => {
                    controller.current?.jumpTo(fromWgs84(c.lngLat, displayCrs), 16);
                    dispatch({ type: 'select', selection: { type: 'cell', code: c.code as CellCode } });
                  }}
                  onItem={(item) => {
                    controller.current?.jumpTo(fromWgs84(item.lngLat, displayCrs), 17);
                    if (item.caseId) {
                      setNowOpen(false);
                      setCasesRequest({ kind: 'case', id: item.caseId });
                      setCasesOpen(true);
                    } else if (item.kind === 'event')
                      dispatch({ type: 'select', selection: { type: 'point', kind: 'event', id: item.id } });
                  }}
                  onWall={wall.enter}
                  onClose={() => setNowOpen(false)}
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
                onReportCase={
                  session && ['admin', 'command', 'worker'].includes(session.role)
                    ? (from) => {
                        setClassifyOpen(false);
                        setNowOpen(false);
                        setCasesRequest({ kind: 'report', draft: caseDraft(from, cells) });
                        setCasesOpen(true);
                      }
                    : undefined
                }
                patrols={
                  session && ['admin', 'command', 'planner', 'worker'].includes(session.role)
                    ? {
                        version: patrol.version,
                        busy: patrol.busy,
                        error: patrol.underWay ? null : patrol.error,
                        // A grid worker sees their own cells only: each is theirs to patrol.
                        onStart: session.role === 'worker' && !patrol.underWay ? (code) => void patrol.start(code) : undefined,
                      }
                    : undefined
                }
                onGovernance={
                  session && ['admin', 'command', 'planner', 'worker'].includes(session.role)
                    ? (cell) => {
                        setClassifyOpen(false);
                        setNowOpen(false);
                        setCasesOpen(false);
                        setGovernance({ cell });
                      }
                    : undefined
                }
                onZoneReport={
                  session && ['admin', 'command', 'planner', 'worker'].includes(session.role)
                    ? (code) => setZoneReport({ code })
                    : undefined
                }
                onPlates={
                  session && ['admin', 'command', 'planner', 'worker'].includes(session.role)
                    ? (cell) =>
                        setPlateSheet({
                          cell: { code: cell.code, name: cell.name },
                          community: cell.communityName ? { code: cell.communityCode, name: cell.communityName } : null,
                        })
                    : undefined
                }
                onCellChanged={() => {
                  void district.reloadGrid();
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
                  pickPoint={pickPoint}
                  onImported={reloadKind}
                  onClose={() => setImportOpen(false)}
                />
              </Suspense>
            )}
            {exportOpen && backend && session && (
              <Suspense fallback={<PanelLoading />}>
                <ExportDialog
                  key={session.userId ?? 'anon'}
                  backend={backend}
                  role={session.role}
                  cells={cells}
                  cell={
                    inspector?.type === 'cell'
                      ? {
                          code: inspector.cell.code,
                          name: inspector.cell.name,
                          communityCode: inspector.cell.communityCode,
                          communityName: inspector.cell.communityName,
                        }
                      : null
                  }
                  onClose={() => setExportOpen(false)}
                />
              </Suspense>
            )}
            {backupOpen && backend?.databaseFile && (
              <Suspense fallback={<PanelLoading />}>
                <BackupDialog
                  databaseFile={backend.databaseFile}
                  onRestored={(summary) => {
                    // The snapshots and everything on the page describe the database replaced: start again.
                    const name = config.backend.kind === 'embedded' ? config.backend.databaseName : '';
                    void dropSnapshots(name)
                      .catch(() => undefined)
                      .then(() => {
                        window.sessionStorage.setItem(RESTORED_KEY, JSON.stringify(summary));
                        window.location.reload();
                      });
                  }}
                  onClose={() => setBackupOpen(false)}
                />
              </Suspense>
            )}
            {!ui.editing && !atlas && (
              <PickedCells
                codes={ui.picked}
                onCompare={canCompare && !compareOpen ? () => setCompareOpen(true) : undefined}
                onAtlas={canCompare ? () => setAtlas({ scope: { kind: 'cells', codes: [...ui.picked] } }) : undefined}
                onClear={() => dispatch({ type: 'pick-set', codes: [] })}
              />
            )}
            {restored && restoredShown && (
              <div className="map-error restored" role="status" data-testid="backup-restored">
                {t('backup.restored', {
                  cells: formatCount(restored.cells, i18n.language),
                  entities: formatCount(restored.entities, i18n.language),
                  events: formatCount(restored.events, i18n.language),
                })}
                <button type="button" onClick={() => setRestoredShown(false)} aria-label={t('inspector.close')}>
                  ×
                </button>
              </div>
            )}
            {patrol.underWay && (
              <PatrolBanner
                patrol={patrol.underWay}
                pending={patrol.pending}
                busy={patrol.busy}
                error={patrol.error}
                cellName={cells?.features.find((f) => f.properties.code === patrol.underWay?.cellCode)?.properties.name ?? null}
                onEnd={(note) => void patrol.end(note)}
              />
            )}
            <BootStatus
              progress={district.progress}
              error={district.bootError}
              onRetry={() => district.reboot(false)}
              onReset={() => district.reboot(true)}
            />
            {mapError && (
              <div className="map-error" role="alert">
                {mapError}
                <button type="button" onClick={() => setMapError(null)} aria-label={t('inspector.close')}>
                  ×
                </button>
              </div>
            )}
            {outboxOpen && (
              <OutboxPanel
                items={outbox.items}
                online={outbox.online}
                sending={outbox.sending}
                onSend={() => void outbox.sendNow()}
                onDiscard={(id) => void outbox.discard(id)}
                onClose={() => setOutboxOpen(false)}
              />
            )}
            {outboxNotice && (
              <div className="outbox-notice" role="status" data-testid="outbox-notice">
                {outboxNotice}
              </div>
            )}
          </main>
        </div>
      </OutboxContext.Provider>
    </BackendProvider>
  );
}
