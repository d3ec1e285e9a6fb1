import type { FeatureCollection, LineString, MultiLineString, MultiPolygon } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Backend, CellDetail, CellHistoryEntry, ClassChange, ExportRow } from '../data/backend';
import { SCORECARD_STAGES, type ZoneCaseFigures } from '../domain/cases';
import {
  classAt,
  countsByMonth,
  FIGURE_METRICS,
  type FigureMetric,
  PERIOD_METRICS,
  previousPeriod,
  reportComparison,
} from '../domain/figures';
import type { CellFigures, CellProperties } from '../domain/records';
import { type RiskIndex, riskIndex } from '../domain/risk-index';
import { type PeriodHotspot, periodHotspots } from '../geo/hotspots';
import { categoryLabel } from '../i18n/categories';
import { frameLine, framePath, framePoint, inFrame, printFrame } from '../map/report-map';
import { CELL_CLASS_COLORS, KIND_COLORS, SEVERITY_COLORS } from '../state/palettes';
import { RISK_DAYS, RISK_HALF_LIFE_DAYS } from './cell-class-section';
import { formatCount, formatDateTime, formatFigure, formatPercent, localDay, signed } from './format';
import { ClassReason } from './inspector';
import { MapFurniture } from './map-furniture';
import { dayStart, PeriodFields, useReportPeriod } from './report-period';
import { SheetActions, SheetError } from './sheet-actions';

export interface ZoneReportProps {
  backend: Backend;
  /** The cell reported on. */
  code: string;
  /** The period to start with (days, `to` exclusive; the last year when not given), and whether beside the period before. */
  period?: { from?: string; to?: string; compare?: boolean };
  /** The cells the user sees (for the map: the cell and its neighbours). */
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  /** The user compares with their own cells only (a grid worker), not the district's. */
  ownCellsOnly: boolean;
  /** The basemap's roads for the map (the built-in basemap's file), or null. */
  roadsUrl?: string | null;
  onClose(): void;
}

/** The map on the page, in millimetres. */
const MAP = { width: 186, height: 48 };

/**
 * What every page of a report or an atlas shares, read once: every cell's figures the user may
 * read for the period (for the medians), and the period's hot spots (Gi* on the cells' event
 * counts, queen neighbours, FDR) with each cell's trend against the period before, or why the
 * events are too few for them.
 */
export interface ReportContext {
  figures: CellFigures[];
  /** The same figures of the period of the same length just before. */
  before: CellFigures[];
  hotspots: Map<string, PeriodHotspot> | null;
  hotspotProblem: string | null;
  /** The basemap's roads (the built-in basemap's file), for the cells' maps; null without them. */
  roads: FeatureCollection<LineString | MultiLineString, { name?: string; rank?: string }> | null;
}

/** Reads the report context of the period [from, to) (ISO) over the cells the user sees. */
export async function loadReportContext(
  backend: Backend,
  cells: FeatureCollection<MultiPolygon, CellProperties>,
  from: string,
  to: string,
  roadsUrl: string | null = null,
): Promise<ReportContext> {
  const before = previousPeriod(from, to);
  const [figures, earlier, roads] = await Promise.all([
    backend.getCellFigures(from, to),
    backend.getCellFigures(before.from, before.to),
    roadsUrl ? readRoads(roadsUrl) : Promise.resolve(null),
  ]);
  const shapes = new Map<string, MultiPolygon>(cells.features.map((f) => [f.properties.code, f.geometry]));
  const counted = figures.filter((f) => shapes.has(f.code));
  const was = new Map(earlier.map((f) => [f.code, f.events]));
  const hot = periodHotspots(
    counted.map((f) => ({ code: f.code, geometry: shapes.get(f.code) as MultiPolygon })),
    counted.map((f) => f.events),
    counted.map((f) => was.get(f.code) ?? 0),
  );
  return { figures, before: earlier, hotspots: hot.cells, hotspotProblem: hot.problem, roads };
}

/** The basemap's roads, or null when they cannot be read (the report is drawn without them). */
async function readRoads(url: string): Promise<ReportContext['roads']> {
  try {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as ReportContext['roads']) : null;
  } catch {
    return null;
  }
}

/** The entity layers a cell's map shows, drawn in this order. */
const MAP_ENTITY_KINDS = ['place', 'thing', 'organisation'] as const;

/** What a cell's report page shows, read from the database. */
export interface ReportData {
  detail: CellDetail;
  context: ReportContext;
  /** The cell's cases: median working hours per stage and the complaint rates. */
  cases: ZoneCaseFigures;
  /** The same of the period before (a report beside it). */
  casesBefore: ZoneCaseFigures | null;
  /** The cell's class changes (a report beside the period before: the class then). */
  classChanges: ClassChange[];
  history: CellHistoryEntry[];
  events: ExportRow[];
  /** The cell's risk index now with its parts (as the inspector shows it), or null without its inputs. */
  risk: RiskIndex | null;
  /** The cell's places, things and organisations (what the user may export), for its map. */
  entities: { kind: (typeof MAP_ENTITY_KINDS)[number]; row: ExportRow }[];
  asOf: string;
}

/** Reads a cell's report for the period [from, to) (ISO), with the context shared by its pages. Null: no such cell for this user. */
export async function loadCellReport(
  backend: Backend,
  code: string,
  from: string,
  to: string,
  context: ReportContext,
  compare = false,
): Promise<ReportData | null> {
  const before = previousPeriod(from, to);
  const [detail, cases, casesBefore, classChanges, history, inputs, events, ...kinds] = await Promise.all([
    backend.getCellDetail(code as CellDetail['code']),
    backend.getZoneCaseFigures([code], from, to),
    compare ? backend.getZoneCaseFigures([code], before.from, before.to) : Promise.resolve(null),
    compare ? backend.getCellClassHistory(code as CellDetail['code']) : Promise.resolve([]),
    backend.getCellHistory(code as CellDetail['code']),
    backend.getCellClassInputs(new Date().toISOString(), RISK_DAYS, RISK_HALF_LIFE_DAYS, code as CellDetail['code']),
    backend.exportPoints('event', { cellCode: code, from, to }, null, 50_000),
    ...MAP_ENTITY_KINDS.map((kind) => backend.exportPoints(kind, { cellCode: code }, null, 5_000)),
  ]);
  const entities = MAP_ENTITY_KINDS.flatMap((kind, k) => (kinds[k] ?? []).map((row) => ({ kind, row })));
  const input = inputs[0];
  const risk = input
    ? riskIndex(
        { eventsByCategory: input.eventsByCategory, hazardSites: input.hazardSites, residents: input.residents, areaKm2: input.areaKm2 },
        { per: 'area', hazardWeight: 1 },
      )
    : null;
  return detail
    ? { detail, context, cases, casesBefore, classChanges, history, events, entities, risk, asOf: new Date().toISOString() }
    : null;
}

/**
 * A cell's zone report (网格区域报告) as a print-ready A4 page: a map of the cell with its
 * neighbours and the period's events (north arrow, scale bar, legend); code, community, street,
 * class and why; its figures for the period beside its community's and the district's medians;
 * events by month and by category; the last patrol and the cell's change history. Everything from
 * the database, of what the user may read. 打印 prints it (or saves it as PDF) through the browser.
 */
export function ZoneReport({ backend, code, period, cells, ownCellsOnly, roadsUrl = null, onClose }: ZoneReportProps) {
  const { t } = useTranslation();
  const period_ = useReportPeriod(period);
  const { from, to, compare, periodFrom, periodTo } = period_;
  const [data, setData] = useState<ReportData | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!periodFrom || !periodTo) return;
    let live = true;
    setData(null);
    setError(null);
    loadReportContext(backend, cells, periodFrom, periodTo, roadsUrl)
      .then((context) => loadCellReport(backend, code, periodFrom, periodTo, context, compare))
      .then(
        (report) => {
          if (!live) return;
          if (!report) setError(new Error(t('report.missing', { code })));
          else setData(report);
        },
        (e: unknown) => live && setError(e),
      );
    return () => {
      live = false;
    };
  }, [backend, cells, code, periodFrom, periodTo, compare, roadsUrl, t]);

  const cell = cells.features.find((f) => f.properties.code === code) ?? null;

  return createPortal(
    <div className="plate-sheet report-sheet" role="dialog" aria-label={t('report.title')} data-testid="zone-report">
      <div className="plate-sheet-toolbar">
        <h2 className="plate-sheet-title">{t('report.titleOf', { name: cell?.properties.name ?? code })}</h2>
        <PeriodFields state={period_} testId="report" />
        <SheetActions canPrint={data !== null} testId="report" onClose={onClose} />
      </div>
      <SheetError error={error} />
      {!data && error === null && <p className="plate-sheet-empty">{t('inspector.loading')}</p>}
      {data && <CellReportPage data={data} cells={cells} from={from} to={to} ownCellsOnly={ownCellsOnly} compare={compare} />}
    </div>,
    document.body,
  );
}

/**
 * One cell's report as one A4 page (in a single report or an atlas): the map, class and why,
 * figures beside the medians, events by month and category, last patrol and changes.
 */
export function CellReportPage({
  data,
  cells,
  from,
  to,
  ownCellsOnly,
  compare = false,
  footer,
}: {
  data: ReportData;
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  /** The period as days (`to` exclusive). */
  from: string;
  to: string;
  ownCellsOnly: boolean;
  /** Beside the period before: its figures and the change, the class then, its cases (data.casesBefore). */
  compare?: boolean;
  /** The page's foot (an atlas: its title and page number). */
  footer?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const code = data.detail.code;
  const cell = cells.features.find((f) => f.properties.code === code) ?? null;
  const periodFrom = dayStart(from);
  const periodTo = dayStart(to);
  const comparison = reportComparison(data.context.figures, code);
  const own = data.context.figures.find((f) => f.code === code) ?? null;
  const hot = data.context.hotspots?.get(code) ?? null;
  const then = compare ? (data.context.before.find((f) => f.code === code) ?? null) : null;
  const classThen = compare ? classAt(data.detail.class, data.classChanges, periodFrom) : null;
  const before = previousPeriod(periodFrom, periodTo);
  const months = countsByMonth(
    data.events.map((e) => String(e.props.occurred_at)),
    periodFrom,
    periodTo,
  );
  const categories = useMemo(() => {
    const counts = new Map<string, number>();
    for (const e of data.events) counts.set(String(e.props.category), (counts.get(String(e.props.category)) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6);
  }, [data]);
  const n = (v: number | null | undefined, metric?: FigureMetric) => formatFigure(v, metric, lang);

  return (
    <article className="plate-page-a4 report-page" data-testid="report-page" data-cell={code}>
      <header className="report-head">
        <div className="report-kicker">{t('report.title')}</div>
        <h1 className="report-name">{data.detail.name}</h1>
        <p className="report-line">
          {t('report.code')} <b data-testid="report-code">{data.detail.code}</b> · {data.detail.communityName ?? '—'} ·{' '}
          {data.detail.streetName ?? '—'}
        </p>
        <p className="report-line muted">
          {t('report.period', { from, to })}
          {compare && ` · ${t('compare.previousRange', { from: localDay(before.from), to: localDay(before.to) })}`} ·{' '}
          {t('report.asOf', { at: formatDateTime(data.asOf, lang) })}
        </p>
      </header>
      {cell && <ReportMap cell={cell} cells={cells} events={data.events} entities={data.entities} roads={data.context.roads} />}
      <section className="report-section">
        <h3 className="report-h3">{t('report.class')}</h3>
        <p className="report-p">
          <span className="report-class" style={{ background: CELL_CLASS_COLORS[data.detail.class] }}>
            {data.detail.class}
          </span>{' '}
          {data.detail.classSource === 'manual' && `${t('risk.source.manual')} · `}
          <ClassReason cell={data.detail} />
          {compare && (
            <span data-testid="report-class-then">
              {' '}
              · {classThen === null ? t('report.classThenUnknown') : t('report.classThen', { cls: classThen })}
            </span>
          )}
        </p>
        <p className="report-p">
          {t('report.households', { n: formatCount(data.detail.households, lang) })} ·{' '}
          {t('report.area', { km2: (data.detail.areaSquareMeters / 1e6).toFixed(3) })}
          {own && ` · ${t('report.lastPatrol', { at: own.lastPatrolAt ? formatDateTime(own.lastPatrolAt, lang) : '—' })}`}
        </p>
        <p className="report-p" data-testid="report-hotspot">
          {data.context.hotspotProblem
            ? t('report.hotspotThin')
            : hot && hot.hotspot !== 0
              ? t('report.hotspot', { bin: t(`heat.bin.${hot.hotspot}`), z: hot.z.toFixed(2) })
              : t('report.notHotspot')}
          {hot?.trend && ` · ${t('report.trend', { trend: t(`heat.trend.${hot.trend}`) })}`}
          {!data.context.hotspotProblem && ` · ${t(ownCellsOnly ? 'report.hotspotOwn' : 'report.hotspotHow')}`}
        </p>
        {data.risk && (
          <p className="report-p" data-testid="report-risk-parts">
            {t('report.riskParts', { index: data.risk.index.toFixed(1), days: RISK_DAYS, halfLife: RISK_HALF_LIFE_DAYS })}{' '}
            {data.risk.parts
              .slice(0, 4)
              .map((p) => `${p.kind === 'hazards' ? t('risk.hazards') : categoryLabel(p.label, lang)} ${p.value.toFixed(1)}`)
              .join(' · ')}
          </p>
        )}
        <p className="report-p" data-testid="report-entity-categories">
          {entityCategories(data.entities)
            .map(
              ({ kind, categories }) =>
                `${t(`compare.metric.${kind}s`)}：${
                  categories
                    .slice(0, 4)
                    .map(([c, n]) => `${categoryLabel(c, lang)} ${formatCount(n, lang)}`)
                    .join('、') || '—'
                }${categories.length > 4 ? t('report.moreCategories', { n: categories.length - 4 }) : ''}`,
            )
            .join('；')}
        </p>
      </section>
      {comparison && (
        <section className="report-section">
          <h3 className="report-h3">{t('report.figures')}</h3>
          <table className="report-table" data-testid="report-figures">
            <thead>
              <tr>
                <th className="report-cell" />
                <th className="report-cell">{t('report.thisCell')}</th>
                {compare && <th className="report-cell">{t('compare.chartBefore')}</th>}
                {compare && <th className="report-cell">{t('compare.delta')}</th>}
                <th className="report-cell">{t('report.communityMedian')}</th>
                <th className="report-cell">{t(ownCellsOnly ? 'report.ownMedian' : 'report.districtMedian')}</th>
              </tr>
            </thead>
            <tbody>
              {FIGURE_METRICS.map((m) => {
                const row = comparison.find((c) => c.metric === m);
                return (
                  <tr key={m} data-metric={m}>
                    <th scope="row" className="report-cell report-label">
                      {t(`compare.metric.${m}`)}
                    </th>
                    <td className="report-cell">{n(row?.cell ?? null, m)}</td>
                    {compare && <td className="report-cell">{PERIOD_METRICS.includes(m) ? n(then?.[m] ?? null, m) : ''}</td>}
                    {compare && (
                      <td className="report-cell" data-delta={m}>
                        {PERIOD_METRICS.includes(m) && row?.cell != null && then?.[m] != null
                          ? signed(row.cell - (then[m] as number), lang)
                          : ''}
                      </td>
                    )}
                    <td className="report-cell">{n(row?.community ?? null, m)}</td>
                    <td className="report-cell">{n(row?.all ?? null, m)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="report-p muted report-note">{t('compare.periodNote')}</p>
        </section>
      )}
      <CasesSection cases={data.cases} before={data.casesBefore} />
      <section className="report-section report-events">
        <h3 className="report-h3">{t('report.eventsByMonth', { n: formatCount(data.events.length, lang) })}</h3>
        <MonthChart months={months} />
        <p className="report-categories">
          {categories.map(([c, k]) => (
            <span key={c} className="report-category">
              {categoryLabel(c, lang)} {formatCount(k, lang)}
            </span>
          ))}
        </p>
      </section>
      <section className="report-section">
        <h3 className="report-h3">{t('report.history')}</h3>
        <ol className="report-history">
          {[...data.history]
            .reverse()
            .slice(0, 4)
            .map((h) => (
              <li key={h.version}>
                v{h.version} · {formatDateTime(h.validFrom, lang)} ·{' '}
                {h.operation ? t(`edit.operation.${h.operation}`) : t('edit.operation.original')}
                {h.reason && ` · ${h.reason}`}
                {h.actorName && ` · ${h.actorName}`}
              </li>
            ))}
        </ol>
      </section>
      {footer && <footer className="report-footer">{footer}</footer>}
    </article>
  );
}

/** A cell's places, things and organisations counted by category, the most first. */
export function entityCategories(
  entities: ReportData['entities'],
): { kind: (typeof MAP_ENTITY_KINDS)[number]; categories: [string, number][] }[] {
  return MAP_ENTITY_KINDS.map((kind) => {
    const counts = new Map<string, number>();
    for (const e of entities) {
      if (e.kind !== kind) continue;
      const category = String(e.row.props.category ?? '');
      counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    return { kind, categories: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) };
  });
}

/** A zone's cases: the steps of each stage and their median working hours, and the complaint rates. */
export function CasesSection({ cases, before = null }: { cases: ZoneCaseFigures; before?: ZoneCaseFigures | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="report-section">
      <h3 className="report-h3">{t('report.cases')}</h3>
      <table className="report-table" data-testid="report-stages">
        <thead>
          <tr>
            <th className="report-cell report-label">{t('report.stage')}</th>
            {SCORECARD_STAGES.map((s) => (
              <th key={s} className="report-cell">
                {t(`cases.state.${s}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" className="report-cell report-label">
              {t('report.stageSteps')}
            </th>
            {SCORECARD_STAGES.map((s) => (
              <td key={s} className="report-cell" data-stage={s}>
                {formatCount(cases.stages[s]?.steps ?? 0, lang)}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row" className="report-cell report-label">
              {t('report.stageMedian')}
            </th>
            {SCORECARD_STAGES.map((s) => (
              <td key={s} className="report-cell" data-stage-median={s}>
                {cases.stages[s] ? cases.stages[s].medianHours.toFixed(1) : '—'}
              </td>
            ))}
          </tr>
          {before && (
            <tr data-testid="report-stages-before">
              <th scope="row" className="report-cell report-label">
                {t('report.stageMedianBefore')}
              </th>
              {SCORECARD_STAGES.map((s) => (
                <td key={s} className="report-cell">
                  {before.stages[s] ? before.stages[s].medianHours.toFixed(1) : '—'}
                </td>
              ))}
            </tr>
          )}
        </tbody>
      </table>
      <p className="report-p" data-testid="report-complaints">
        <ComplaintLine cases={cases} />
      </p>
      {before && (
        <p className="report-p muted" data-testid="report-complaints-before">
          {t('report.before')} <ComplaintLine cases={before} />
        </p>
      )}
    </section>
  );
}

/** A zone's complaints and their three rates on one line. */
function ComplaintLine({ cases }: { cases: ZoneCaseFigures }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <>
      {t('report.complaints', { n: formatCount(cases.complaints, lang) })} · {t('cases.rates.response')}{' '}
      {formatPercent(cases.responseRate, lang)} · {t('cases.rates.resolution')} {formatPercent(cases.resolutionRate, lang)} ·{' '}
      {t('cases.rates.satisfaction')} {formatPercent(cases.satisfactionRate, lang)}
    </>
  );
}

/** The cell (ringed) among its neighbours (by class) with the period's events, a north arrow, a scale bar and a legend. */
function ReportMap({
  cell,
  cells,
  events,
  entities,
  roads,
}: {
  cell: FeatureCollection<MultiPolygon, CellProperties>['features'][number];
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  events: readonly ExportRow[];
  entities: ReportData['entities'];
  roads: ReportContext['roads'];
}) {
  const { t } = useTranslation();
  const frame = useMemo(() => printFrame(boxOf(cell.geometry), MAP.width, MAP.height, 0.6), [cell]);
  const neighbours = useMemo(() => cells.features.filter((f) => inFrame(frame, boxOf(f.geometry))), [cells, frame]);
  const severity = (s: unknown) => SEVERITY_COLORS[(Number(s) || 1) as 1 | 2 | 3 | 4] ?? SEVERITY_COLORS[1];
  return (
    <figure className="report-map">
      <svg
        viewBox={`0 0 ${MAP.width} ${MAP.height}`}
        width={`${MAP.width}mm`}
        height={`${MAP.height}mm`}
        role="img"
        className="report-svg"
        aria-label={t('report.map')}
        data-testid="report-map"
      >
        <clipPath id="report-frame">
          <rect width={MAP.width} height={MAP.height} />
        </clipPath>
        <rect width={MAP.width} height={MAP.height} fill="#efece6" />
        <g clipPath="url(#report-frame)">
          {neighbours.map((f) => (
            <path
              key={f.properties.code}
              d={framePath(frame, f.geometry)}
              fill={CELL_CLASS_COLORS[f.properties.class]}
              fillOpacity={0.32}
              fillRule="evenodd"
              stroke="#5a5560"
              strokeWidth={0.2}
            />
          ))}
          {roads?.features.map((f, i) => {
            const d = frameLine(frame, f.geometry);
            const width = f.properties?.rank === 'arterial' ? 1.4 : 0.8;
            // A white road with a grey casing, as on the map.
            return d ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the roads file's order is its identity
              <g key={i} data-road={f.properties?.name ?? ''}>
                <path d={d} fill="none" stroke="#8d8797" strokeWidth={width + 0.4} strokeLinecap="round" />
                <path d={d} fill="none" stroke="#ffffff" strokeWidth={width} strokeLinecap="round" />
              </g>
            ) : null;
          })}
          {entities.map(({ kind, row }) => {
            const [x, y] = framePoint(frame, [row.lon, row.lat]);
            const [r, g, b] = KIND_COLORS[kind];
            return (
              <rect
                key={`${kind}-${row.id}`}
                x={x - 0.6}
                y={y - 0.6}
                width={1.2}
                height={1.2}
                fill={`rgb(${r},${g},${b})`}
                stroke="#fff"
                strokeWidth={0.12}
                data-entity={kind}
              />
            );
          })}
          {events.map((e) => {
            const [x, y] = framePoint(frame, [e.lon, e.lat]);
            const [r, g, b] = severity(e.props.severity);
            return <circle key={e.id} cx={x} cy={y} r={0.7} fill={`rgb(${r},${g},${b})`} stroke="#fff" strokeWidth={0.12} />;
          })}
          <path d={framePath(frame, cell.geometry)} fill="none" stroke="#1d3fbf" strokeWidth={0.8} fillRule="evenodd" />
        </g>
        <MapFurniture frame={frame} />
      </svg>
      <figcaption className="report-legend">
        <span>
          <i style={{ borderColor: '#1d3fbf' }} className="report-swatch ring" /> {t('report.thisCell')}
        </span>
        {(['A', 'B', 'C'] as const).map((c) => (
          <span key={c}>
            <i className="report-swatch" style={{ background: CELL_CLASS_COLORS[c], opacity: 0.5 }} /> {t('home.class', { cls: c })}
          </span>
        ))}
        <span>
          <i className="report-swatch dot" /> {t('report.events')}
        </span>
        {MAP_ENTITY_KINDS.map((kind) => (
          <span key={kind}>
            <i className="report-swatch" style={{ background: `rgb(${KIND_COLORS[kind].slice(0, 3).join(',')})` }} />{' '}
            {t(`compare.metric.${kind}s`)}
          </span>
        ))}
        {roads && (
          <span>
            <i className="report-swatch road" /> {t('report.roads')}
          </span>
        )}
      </figcaption>
    </figure>
  );
}

/** Events by month as columns, each labelled with its count. */
export function MonthChart({ months }: { months: readonly { month: string; count: number }[] }) {
  const max = Math.max(1, ...months.map((m) => m.count));
  const width = 186;
  const height = 15;
  const step = width / Math.max(1, months.length);
  return (
    <svg
      viewBox={`0 0 ${width} ${height + 8}`}
      width={`${width}mm`}
      height={`${height + 8}mm`}
      className="report-svg"
      role="img"
      aria-label={months.map((m) => `${m.month} ${m.count}`).join(', ')}
      data-testid="report-months"
    >
      {months.map((m, i) => {
        const h = (m.count / max) * (height - 5);
        return (
          <g key={m.month} transform={`translate(${i * step} 0)`}>
            <rect x={step * 0.15} y={height - h} width={step * 0.7} height={h} fill="#5b3f99" />
            <text x={step / 2} y={height - h - 1} textAnchor="middle" fontSize={2.6}>
              {m.count}
            </text>
            <text x={step / 2} y={height + 4} textAnchor="middle" fontSize={2.6}>
              {m.month.slice(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function boxOf(geometry: MultiPolygon): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of geometry.coordinates)
    for (const [x, y] of polygon[0] ?? []) {
      w = Math.min(w, x as number);
      s = Math.min(s, y as number);
      e = Math.max(e, x as number);
      n = Math.max(n, y as number);
    }
  return [w, s, e, n];
}
