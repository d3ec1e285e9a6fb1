import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import type { AdminAreaProperties, CellProperties } from '../domain/records';
import { ATLAS_MAX_CELLS, type AtlasScope, atlasLayout, cellsInScope, TOC_ROWS } from '../domain/reports';
import { ClassMap, ClassSwatches } from './class-map';
import { formatCount, formatDateTime } from './format';
import { dayStart, isoDay, lastDays } from './report-period';
import { SheetActions, SheetError } from './sheet-actions';
import { CellReportPage, loadCellReport, loadReportContext, type ReportContext, type ReportData } from './zone-report';

export interface AtlasSheetProps {
  backend: Backend;
  scope: AtlasScope;
  /** The period to start with (days, `to` exclusive); the last year when not given. */
  period?: { from?: string; to?: string };
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null;
  districtName: string | null;
  ownCellsOnly: boolean;
  /** The basemap's roads for the cells' maps, or null. */
  roadsUrl?: string | null;
  onClose(): void;
}

/** Cells read at once (each is three small reads). */
const PARALLEL = 4;

/**
 * An atlas (网格图集) of a set of cells as one print-ready document, like a print layout's atlas in
 * QGIS: a cover, a summary with an overview map and the totals, a table of contents, then one A4
 * page per cell (its zone report), every page numbered, with the date and the data's as-of time.
 * The cells are read with progress (a few at a time); 打印 prints it or saves it as PDF.
 */
export function AtlasSheet({
  backend,
  scope,
  period,
  cells,
  communities,
  districtName,
  ownCellsOnly,
  roadsUrl = null,
  onClose,
}: AtlasSheetProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const to = period?.to ?? lastDays(365).to;
  const from = period?.from ?? isoDay(Date.parse(to) - 365 * 86_400_000);
  const [context, setContext] = useState<ReportContext | null>(null);
  const [reports, setReports] = useState<ReportData[]>([]);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [asOf] = useState(() => new Date().toISOString());

  // What every page shares (the figures for the medians, the period's hot spots), read once.
  useEffect(() => {
    let live = true;
    setContext(null);
    setError(null);
    loadReportContext(backend, cells, dayStart(from), dayStart(to), roadsUrl).then(
      (c) => live && setContext(c),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [backend, cells, from, to, roadsUrl]);

  // A hot-spot atlas knows its cells once the period's hot spots are counted.
  const hotspots = scope.kind === 'hotspot' ? (context?.hotspots ?? null) : null;
  const codes = useMemo(
    () =>
      scope.kind === 'hotspot' && !hotspots
        ? []
        : cellsInScope(
            cells.features.map((f) => f.properties),
            scope,
            hotspots,
          ).slice(0, ATLAS_MAX_CELLS),
    [cells, scope, hotspots],
  );

  useEffect(() => {
    if (!context) return;
    let live = true;
    setReports([]);
    setDone(false);
    const periodFrom = dayStart(from);
    const periodTo = dayStart(to);
    (async () => {
      const read: ReportData[] = [];
      for (let i = 0; i < codes.length && live; i += PARALLEL) {
        const batch = await Promise.all(codes.slice(i, i + PARALLEL).map((c) => loadCellReport(backend, c, periodFrom, periodTo, context)));
        for (const r of batch) if (r) read.push(r);
        if (live) setReports([...read]);
      }
      if (live) setDone(true);
    })().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [backend, codes, context, from, to]);

  const title =
    scope.kind === 'community'
      ? t('atlas.ofCommunity', { name: communities?.features.find((f) => f.properties.code === scope.code)?.properties.name ?? scope.code })
      : scope.kind === 'class'
        ? t('atlas.ofClass', { cls: scope.cls })
        : scope.kind === 'hotspot'
          ? t('atlas.ofHotspot', { level: scope.level })
          : t('atlas.ofCells');
  const layout = atlasLayout(reports.length);
  const pageOf = (i: number) => layout.firstCellPage + i;
  const foot = (page: number) => (
    <>
      <span>
        {title} · {t('report.period', { from, to })}
      </span>
      <span data-testid="atlas-page-number">{t('atlas.page', { page, pages: layout.pages })}</span>
    </>
  );
  const chosen = useMemo(() => {
    const set = new Set(codes);
    return cells.features.filter((f) => set.has(f.properties.code));
  }, [cells, codes]);
  const total = (k: 'people' | 'events' | 'casesReported' | 'casesOpen' | 'casesOverdue' | 'casesClosed') =>
    reports.reduce((s, r) => s + (r.context.figures.find((f) => f.code === r.detail.code)?.[k] ?? 0), 0);
  const tocPages: ReportData[][] = [];
  for (let i = 0; i < reports.length; i += TOC_ROWS) tocPages.push(reports.slice(i, i + TOC_ROWS));
  if (tocPages.length === 0) tocPages.push([]);

  return createPortal(
    <div
      className="plate-sheet report-sheet"
      role="dialog"
      aria-label={t('atlas.title')}
      data-testid="atlas-sheet"
      data-ready={done && error === null ? 'true' : undefined}
    >
      <div className="plate-sheet-toolbar">
        <h2 className="plate-sheet-title">{title}</h2>
        <span className="muted" role="status" data-testid="atlas-progress">
          {done
            ? t('atlas.ready', { n: formatCount(reports.length, lang), pages: formatCount(layout.pages, lang) })
            : t('atlas.reading', { done: formatCount(reports.length, lang), n: formatCount(codes.length, lang) })}
        </span>
        <SheetActions canPrint={done} testId="atlas" onClose={onClose} />
      </div>
      <SheetError error={error} />
      {done && codes.length === 0 && (
        <p className="plate-sheet-empty" data-testid="atlas-none">
          {scope.kind === 'hotspot' && context?.hotspotProblem ? t('report.hotspotThin') : t('atlas.none')}
        </p>
      )}
      {done && codes.length > 0 && (
        <>
          <article className="plate-page-a4 report-page atlas-cover" data-testid="atlas-cover">
            <div className="report-kicker">{t('atlas.title')}</div>
            <h1 className="atlas-title">{title}</h1>
            <p className="report-line">{districtName ?? ''}</p>
            <p className="report-line">{t('report.period', { from, to })}</p>
            <p className="report-line">{t('atlas.cells', { n: formatCount(reports.length, lang) })}</p>
            <p className="report-line muted">
              {t('atlas.printed', { at: formatDateTime(asOf, lang) })} · {t('report.asOf', { at: formatDateTime(asOf, lang) })}
            </p>
            <footer className="report-footer">{foot(1)}</footer>
          </article>
          <article className="plate-page-a4 report-page" data-testid="atlas-summary">
            <h2 className="report-name">{t('atlas.summary')}</h2>
            <figure className="report-map">
              <ClassMap chosen={chosen} cells={cells} height={150} label={t('atlas.overview')} testId="atlas-overview" />
              <figcaption className="report-legend">
                <ClassSwatches chosen={chosen} />
              </figcaption>
            </figure>
            <table className="report-table">
              <tbody>
                {(['people', 'events', 'casesReported', 'casesOpen', 'casesOverdue', 'casesClosed'] as const).map((k) => (
                  <tr key={k}>
                    <th scope="row" className="report-cell report-label">
                      {t(`compare.metric.${k}`)}
                    </th>
                    <td className="report-cell">{formatCount(total(k), lang)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row" className="report-cell report-label">
                    {t('compare.class')}
                  </th>
                  <td className="report-cell">
                    {(['A', 'B', 'C'] as const)
                      .map((c) => `${c} ${formatCount(reports.filter((r) => r.detail.class === c).length, lang)}`)
                      .join(' · ')}
                  </td>
                </tr>
              </tbody>
            </table>
            <footer className="report-footer">{foot(2)}</footer>
          </article>
          {tocPages.map((rows, p) => (
            <article
              // biome-ignore lint/suspicious/noArrayIndexKey: pages are positions, not items
              key={p}
              className="plate-page-a4 report-page"
              data-testid="atlas-toc"
            >
              <h2 className="report-name">{t('atlas.toc')}</h2>
              <table className="report-table atlas-toc">
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={r.detail.code}>
                      <td className="report-cell atlas-toc-code">{r.detail.code}</td>
                      <td className="report-cell atlas-toc-name">
                        {r.detail.name} · {r.detail.communityName ?? ''}
                      </td>
                      <td className="report-cell">{r.detail.class}</td>
                      <td className="report-cell">{pageOf(p * TOC_ROWS + i)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <footer className="report-footer">{foot(3 + p)}</footer>
            </article>
          ))}
          {reports.map((r, i) => (
            <CellReportPage
              key={r.detail.code}
              data={r}
              cells={cells}
              from={from}
              to={to}
              ownCellsOnly={ownCellsOnly}
              footer={foot(pageOf(i))}
            />
          ))}
        </>
      )}
    </div>,
    document.body,
  );
}
