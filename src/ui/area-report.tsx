import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Backend, ExportFilter, ExportRow } from '../data/backend';
import type { ZoneCaseFigures } from '../domain/cases';
import {
  cellMedians,
  countsByMonth,
  FIGURE_METRICS,
  type FigureMetric,
  hotspotTally,
  PERIOD_METRICS,
  pagesOf,
  previousPeriod,
  zoneTotals,
} from '../domain/figures';
import type { AdminAreaProperties, CellFigures, CellProperties } from '../domain/records';
import { categoryLabel } from '../i18n/categories';
import { ClassMap, ClassSwatches } from './class-map';
import { formatCount, formatDateTime, formatFigure, localDay, signed } from './format';
import { dayStart, PeriodFields, useReportPeriod } from './report-period';
import { SheetActions, SheetError } from './sheet-actions';
import { CasesSection, loadReportContext, MonthChart, type ReportContext } from './zone-report';

export interface AreaReportProps {
  backend: Backend;
  /** A community's 12-digit code, or `district`. */
  code: string;
  /** The period to start with (days, `to` exclusive; the last year when not given), and whether beside the period before. */
  period?: { from?: string; to?: string; compare?: boolean };
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null;
  districtName: string | null;
  /** The user sees their own cells only (a grid worker): "the district" is their cells. */
  ownCellsOnly: boolean;
  onClose(): void;
}

/** Rows of the table of cells on a page. */
export const CELL_TABLE_ROWS = 50;
/** Events read per call, and at most (a chart of the period needs their times and categories). */
const EVENT_PAGE = 20_000;
const MAX_EVENTS = 400_000;

/** What a community's or the district's report shows, read from the database. */
export interface AreaData {
  context: ReportContext;
  /** The zone's cells' figures, in code order. */
  zone: CellFigures[];
  cases: ZoneCaseFigures;
  casesBefore: ZoneCaseFigures | null;
  events: ExportRow[];
  /** More events than were read (the chart counts the first MAX_EVENTS). */
  eventsCut: boolean;
  asOf: string;
}

/** Reads the events of a filter, page by page, up to MAX_EVENTS. */
async function readEvents(backend: Backend, filter: ExportFilter): Promise<{ events: ExportRow[]; cut: boolean }> {
  const events: ExportRow[] = [];
  for (;;) {
    const page = await backend.exportPoints('event', filter, events.at(-1)?.id ?? null, EVENT_PAGE);
    events.push(...page);
    if (page.length < EVENT_PAGE) return { events, cut: false };
    if (events.length >= MAX_EVENTS) return { events, cut: true };
  }
}

/** Reads a community's (12-digit code) or the district's report for [from, to) (ISO). Null: no cell of it for this user. */
export async function loadAreaReport(
  backend: Backend,
  cells: FeatureCollection<MultiPolygon, CellProperties>,
  code: string,
  from: string,
  to: string,
  compare: boolean,
): Promise<AreaData | null> {
  const context = await loadReportContext(backend, cells, from, to);
  const zone = code === 'district' ? context.figures : context.figures.filter((f) => f.communityCode === code);
  if (zone.length === 0) return null;
  const codes = zone.map((f) => f.code);
  const before = previousPeriod(from, to);
  const [cases, casesBefore, events] = await Promise.all([
    backend.getZoneCaseFigures(codes, from, to),
    compare ? backend.getZoneCaseFigures(codes, before.from, before.to) : Promise.resolve(null),
    readEvents(backend, code === 'district' ? { from, to } : { communityCode: code, from, to }),
  ]);
  return { context, zone, cases, casesBefore, events: events.events, eventsCut: events.cut, asOf: new Date().toISOString() };
}

/**
 * A community's or the district's report (社区报告 / 全区报告) as print-ready A4 pages: a map of
 * its cells by class with the hot spots outlined; its figures (summed; the cells' medians beside
 * the district's), optionally beside the period before; the hot spots and their trends; the cases
 * by stage and the complaint rates; events by month and category; then a table of its cells over
 * as many pages as it takes, every page numbered.
 */
export function AreaReport({ backend, code, period, cells, communities, districtName, ownCellsOnly, onClose }: AreaReportProps) {
  const { t } = useTranslation();
  const period_ = useReportPeriod(period);
  const { from, to, compare, periodFrom, periodTo } = period_;
  const [data, setData] = useState<AreaData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const name =
    code === 'district'
      ? ownCellsOnly
        ? t('areaReport.ownCells')
        : (districtName ?? t('areaReport.district'))
      : (communities?.features.find((f) => f.properties.code === code)?.properties.name ?? code);

  useEffect(() => {
    if (!periodFrom || !periodTo) return;
    let live = true;
    setData(null);
    setError(null);
    loadAreaReport(backend, cells, code, periodFrom, periodTo, compare).then(
      (report) => {
        if (!live) return;
        if (!report) setError(new Error(t('areaReport.missing', { code })));
        else setData(report);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [backend, cells, code, periodFrom, periodTo, compare, t]);

  return createPortal(
    <div className="plate-sheet report-sheet" role="dialog" aria-label={t('areaReport.title')} data-testid="area-report">
      <div className="plate-sheet-toolbar">
        <h2 className="plate-sheet-title">{t('report.titleOf', { name })}</h2>
        <PeriodFields state={period_} testId="area-report" />
        <SheetActions canPrint={data !== null} testId="area-report" onClose={onClose} />
      </div>
      <SheetError error={error} />
      {!data && error === null && <p className="plate-sheet-empty">{t('inspector.loading')}</p>}
      {data && (
        <AreaReportPages
          data={data}
          code={code}
          name={name}
          cells={cells}
          from={from}
          to={to}
          compare={compare}
          ownCellsOnly={ownCellsOnly}
        />
      )}
    </div>,
    document.body,
  );
}

function AreaReportPages({
  data,
  code,
  name,
  cells,
  from,
  to,
  compare,
  ownCellsOnly,
}: {
  data: AreaData;
  code: string;
  name: string;
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  from: string;
  to: string;
  compare: boolean;
  ownCellsOnly: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const district = code === 'district';
  const codes = useMemo(() => new Set(data.zone.map((f) => f.code)), [data]);
  const chosen = useMemo(() => cells.features.filter((f) => codes.has(f.properties.code)), [cells, codes]);
  const hotspots = data.context.hotspots;
  const hot = useMemo(
    () => new Set(data.zone.filter((f) => (hotspots?.get(f.code)?.hotspot ?? 0) > 0).map((f) => f.code)),
    [data, hotspots],
  );
  const tally = hotspots ? hotspotTally([...codes], hotspots) : null;
  const totals = zoneTotals(data.zone);
  const medians = cellMedians(data.zone);
  const allMedians = cellMedians(data.context.figures);
  const beforeZone = data.context.before.filter((f) => codes.has(f.code));
  const beforeTotals = compare ? zoneTotals(beforeZone) : null;
  const before = previousPeriod(dayStart(from), dayStart(to));
  const months = countsByMonth(
    data.events.map((e) => String(e.props.occurred_at)),
    dayStart(from),
    dayStart(to),
  );
  const categories = useMemo(() => {
    const counts = new Map<string, number>();
    for (const e of data.events) counts.set(String(e.props.category), (counts.get(String(e.props.category)) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 8);
  }, [data]);
  const tablePages = pagesOf(data.zone, CELL_TABLE_ROWS);
  const pages = 1 + tablePages.length;
  const n = (v: number | null | undefined, metric?: FigureMetric) => formatFigure(v, metric, lang);
  const foot = (page: number) => (
    <footer className="report-footer">
      <span>
        {name} · {t('report.period', { from, to })}
      </span>
      <span data-testid="area-report-page-number">{t('atlas.page', { page, pages })}</span>
    </footer>
  );
  const area = data.zone.reduce((s, f) => s + f.areaSquareMeters, 0);
  const households = data.zone.reduce((s, f) => s + (f.households ?? 0), 0);
  const isPeriod = (m: FigureMetric) => PERIOD_METRICS.includes(m);

  return (
    <>
      <article className="plate-page-a4 report-page" data-testid="area-report-page">
        <header className="report-head">
          <div className="report-kicker">{t(district ? 'areaReport.districtKicker' : 'areaReport.communityKicker')}</div>
          <h1 className="report-name">{name}</h1>
          <p className="report-line">
            {!district && (
              <>
                {t('areaReport.code')} <b data-testid="area-report-code">{code}</b> · {data.zone[0]?.streetName ?? '—'} ·{' '}
              </>
            )}
            {t('atlas.cells', { n: formatCount(data.zone.length, lang) })}
          </p>
          <p className="report-line muted">
            {t('report.period', { from, to })}
            {compare && ` · ${t('compare.previousRange', { from: localDay(before.from), to: localDay(before.to) })}`} ·{' '}
            {t('report.asOf', { at: formatDateTime(data.asOf, lang) })}
          </p>
        </header>
        <figure className="report-map">
          <ClassMap chosen={chosen} cells={cells} height={78} hot={hot} label={t('areaReport.map')} testId="area-report-map" />
          <figcaption className="report-legend">
            <ClassSwatches chosen={chosen} />
            <span>
              <i className="report-swatch ring" style={{ borderColor: '#c0161b' }} /> {t('areaReport.hotOutline')}
            </span>
            <span>
              {t('report.households', { n: formatCount(households, lang) })} · {t('report.area', { km2: (area / 1e6).toFixed(2) })}
            </span>
          </figcaption>
        </figure>
        <section className="report-section">
          <h3 className="report-h3">{t('report.figures')}</h3>
          <table className="report-table" data-testid="area-report-figures">
            <thead>
              <tr>
                <th className="report-cell" />
                <th className="report-cell">{t('areaReport.total')}</th>
                {compare && <th className="report-cell">{t('areaReport.totalBefore')}</th>}
                {compare && <th className="report-cell">{t('compare.delta')}</th>}
                <th className="report-cell">{t('areaReport.cellMedian')}</th>
                {!district && <th className="report-cell">{t(ownCellsOnly ? 'report.ownMedian' : 'report.districtMedian')}</th>}
              </tr>
            </thead>
            <tbody>
              {FIGURE_METRICS.map((m) => {
                const then = beforeTotals && isPeriod(m) ? beforeTotals[m] : null;
                const now = totals[m];
                return (
                  <tr key={m} data-metric={m}>
                    <th scope="row" className="report-cell report-label">
                      {t(`compare.metric.${m}`)}
                    </th>
                    <td className="report-cell">{n(now, m)}</td>
                    {compare && <td className="report-cell">{isPeriod(m) ? n(then, m) : ''}</td>}
                    {compare && (
                      <td className="report-cell" data-delta={m}>
                        {isPeriod(m) && now !== null && then !== null ? signed(now - then, lang) : ''}
                      </td>
                    )}
                    <td className="report-cell">{n(medians[m], m)}</td>
                    {!district && <td className="report-cell">{n(allMedians[m], m)}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="report-p muted report-note">{t('compare.periodNote')}</p>
        </section>
        <section className="report-section">
          <h3 className="report-h3">{t('areaReport.hotspots')}</h3>
          <p className="report-p" data-testid="area-report-hotspots">
            {!tally
              ? t('report.hotspotThin')
              : [
                  ([3, 2, 1, -1, -2, -3] as const)
                    .filter((b) => (tally.bins[b] ?? 0) > 0)
                    .map((b) => `${t(`heat.bin.${b}`)} ${formatCount(tally.bins[b] ?? 0, lang)}`)
                    .join(' · ') || t('areaReport.noHotspot'),
                  ...(['new', 'intensifying', 'persistent', 'diminishing'] as const)
                    .filter((k) => (tally.trends[k] ?? 0) > 0)
                    .map((k) => `${t(`heat.trend.${k}`)} ${formatCount(tally.trends[k] ?? 0, lang)}`),
                ].join(' · ')}
          </p>
        </section>
        <CasesSection cases={data.cases} before={data.casesBefore} />
        <section className="report-section report-events">
          <h3 className="report-h3">
            {t('report.eventsByMonth', { n: formatCount(data.events.length, lang) })}
            {data.eventsCut && ` ${t('areaReport.eventsCut')}`}
          </h3>
          <MonthChart months={months} />
          <p className="report-categories">
            {categories.map(([c, k]) => (
              <span key={c} className="report-category">
                {categoryLabel(c, lang)} {formatCount(k, lang)}
              </span>
            ))}
          </p>
        </section>
        {foot(1)}
      </article>
      {tablePages.map((rows, p) => (
        <article
          // biome-ignore lint/suspicious/noArrayIndexKey: pages are positions, not items
          key={p}
          className="plate-page-a4 report-page"
          data-testid="area-report-cells"
        >
          <h2 className="report-h3">{t('areaReport.cellTable', { name })}</h2>
          <table className="report-table area-cells">
            <thead>
              <tr>
                <th className="report-cell report-label">{t('compare.code')}</th>
                <th className="report-cell report-label">{t('compare.name')}</th>
                <th className="report-cell">{t('compare.class')}</th>
                {(['people', 'events', 'casesReported', 'casesOpen', 'riskIndex'] as const).map((m) => (
                  <th key={m} className="report-cell">
                    {t(`compare.metric.${m}`)}
                  </th>
                ))}
                <th className="report-cell">{t('areaReport.hotspot')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((f) => {
                const h = hotspots?.get(f.code);
                return (
                  <tr key={f.code} data-cell={f.code}>
                    <td className="report-cell report-label">{f.code}</td>
                    <td className="report-cell report-label">
                      {f.name}
                      {district && <span className="muted"> · {f.communityName ?? ''}</span>}
                    </td>
                    <td className="report-cell">{f.class}</td>
                    {(['people', 'events', 'casesReported', 'casesOpen', 'riskIndex'] as const).map((m) => (
                      <td key={m} className="report-cell">
                        {n(f[m], m)}
                      </td>
                    ))}
                    <td className="report-cell">{h && h.hotspot !== 0 ? t(`heat.bin.${h.hotspot}`) : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {foot(2 + p)}
        </article>
      ))}
    </>
  );
}
