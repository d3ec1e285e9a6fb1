import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import {
  cellRows,
  communityRows,
  FIGURE_METRICS,
  type FigureMetric,
  type FigureRow,
  type FigureSort,
  figureDelta,
  filterRows,
  PERIOD_METRICS,
  previousPeriod,
  sortRows,
  withBefore,
} from '../domain/figures';
import type { CellClass } from '../domain/ids';
import type { CellFigures } from '../domain/records';
import { ATLAS_MAX_CELLS, type AtlasScope, type HotspotLevel } from '../domain/reports';
import { useErrorText } from './error-text';
import { formatCount, formatFigure, localDay } from './format';
import { classChip } from './now-counters';
import { dayStart, lastDays } from './report-period';
import { downloadTable, type ExportTable } from './table-export';

export interface ComparePanelProps {
  backend: Backend;
  /** The cell selected on the map (its inspector is open on the right): its row is marked and scrolled to. */
  selectedCode: string | null;
  /** The cells picked on the map or ticked here (the map outlines them): the ticks of the table by cell. */
  picked: readonly string[];
  /** Ticks (or lets go) cells: the map's picked set. */
  onPick(codes: string[]): void;
  /** A row chosen: the map shows the cell (selected) or the community. */
  onLocate(group: 'cell' | 'community', code: string): void;
  /** Prints an atlas of the cells the table shows (or of the community shown, or the hot spots) for the period shown (days, `to` exclusive). */
  onAtlas?(scope: AtlasScope, period: { from: string; to: string }): void;
  /** Prints the report of a community (its code) or of the district (`district`) for the period shown, beside the period before when compared. */
  onAreaReport?(code: string, period: { from: string; to: string; compare: boolean }): void;
  onClose(): void;
}

/** Chart bars at most (more would not read). */
const CHART_ROWS = 10;

/**
 * The cells (or communities) side by side with the figures of a period, from the database
 * (cell_figures, of what the user may read): a table sorted by any column and filtered by name and
 * class, linked to the map (a row shows its cell; the map's cell marks its row), a chart of the
 * rows ticked, the change since the period before, and the table as CSV or XLSX.
 */
export function ComparePanel({ backend, selectedCode, picked, onPick, onLocate, onAtlas, onAreaReport, onClose }: ComparePanelProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const lang = i18n.language;
  const [group, setGroup] = useState<'cell' | 'community'>('cell');
  const [to, setTo] = useState(() => lastDays(90).to);
  const [from, setFrom] = useState(() => lastDays(90).from);
  const [compare, setCompare] = useState(false);
  const [text, setText] = useState('');
  const [classes, setClasses] = useState<CellClass[]>([]);
  const [sort, setSort] = useState<FigureSort>({ by: 'metric', metric: 'events' });
  const [descending, setDescending] = useState(true);
  // Communities are ticked here; cells are the map's picked set.
  const [tickedCommunities, setTickedCommunities] = useState<ReadonlySet<string>>(new Set());
  const pickedSet = useMemo(() => new Set(picked), [picked]);
  const ticked = group === 'cell' ? pickedSet : tickedCommunities;
  const setTicked = (next: ReadonlySet<string>) => (group === 'cell' ? onPick([...next]) : setTickedCommunities(next));
  const [chartMetric, setChartMetric] = useState<FigureMetric>('events');
  /** The row last opened (a community's report is of it, unless rows are ticked). */
  const [opened, setOpened] = useState<string | null>(null);
  const [atlasOf, setAtlasOf] = useState<'shown' | 'picked' | `hotspot:${HotspotLevel}`>(picked.length > 0 ? 'picked' : 'shown');
  const atlasOfNow = atlasOf === 'picked' && picked.length === 0 ? 'shown' : atlasOf;
  const [data, setData] = useState<{ now: CellFigures[]; before: CellFigures[] | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const body = useRef<HTMLDivElement>(null);
  const valid = from !== '' && to !== '' && from < to;
  const periodFrom = valid ? dayStart(from) : null;
  const periodTo = valid ? dayStart(to) : null;
  const before = periodFrom && periodTo && compare ? previousPeriod(periodFrom, periodTo) : null;
  const beforeFrom = before?.from ?? null;
  const beforeTo = before?.to ?? null;

  useEffect(() => {
    if (!periodFrom || !periodTo) return;
    let live = true;
    setData(null);
    setError(null);
    Promise.all([
      backend.getCellFigures(periodFrom, periodTo),
      beforeFrom && beforeTo ? backend.getCellFigures(beforeFrom, beforeTo) : Promise.resolve(null),
    ]).then(
      ([now, then]) => live && setData({ now, before: then }),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [backend, periodFrom, periodTo, beforeFrom, beforeTo]);

  const rows = useMemo(() => {
    if (!data) return [];
    const make = group === 'cell' ? cellRows : communityRows;
    const all = data.before ? withBefore(make(data.now), make(data.before)) : make(data.now);
    return sortRows(filterRows(all, text, group === 'cell' ? classes : []), sort, descending);
  }, [data, group, text, classes, sort, descending]);

  // The map's cell: its row marked and brought into view (again when the rows change).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the rows decide where the row is.
  useEffect(() => {
    if (!selectedCode || group !== 'cell') return;
    body.current?.querySelector(`[data-row="${selectedCode}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selectedCode, group, rows]);

  const n = (v: number | null | undefined, metric?: FigureMetric) => formatFigure(v, metric, lang);
  const compared = compare && data?.before !== null && data?.before !== undefined;
  const deltaMetrics = compared ? PERIOD_METRICS : [];
  const chartRows = (ticked.size > 0 ? rows.filter((r) => ticked.has(r.key)) : rows).slice(0, CHART_ROWS);

  const sortBy = (next: FigureSort) => {
    const same = JSON.stringify(next) === JSON.stringify(sort);
    setDescending(same ? !descending : next.by === 'metric' || next.by === 'delta');
    setSort(next);
  };
  const sortMark = (s: FigureSort) => (JSON.stringify(s) === JSON.stringify(sort) ? (descending ? ' ▼' : ' ▲') : '');
  const ariaSort = (s: FigureSort) => (JSON.stringify(s) === JSON.stringify(sort) ? (descending ? 'descending' : 'ascending') : 'none');

  const table = (): ExportTable => ({
    columns: [
      t('compare.code'),
      t('compare.name'),
      ...(group === 'cell' ? [t('compare.community'), t('compare.class')] : [t('compare.cells')]),
      ...FIGURE_METRICS.map((m) => t(`compare.metric.${m}`)),
      ...deltaMetrics.map((m) => `${t(`compare.metric.${m}`)} ${t('compare.delta')}`),
    ],
    rows: rows.map((r) => [
      r.key,
      r.name,
      ...(group === 'cell' ? [r.community, r.cls] : [r.cells]),
      ...FIGURE_METRICS.map((m) => r.values[m]),
      ...deltaMetrics.map((m) => figureDelta(r, m)),
    ]),
  });
  const exportAs = (format: 'csv' | 'xlsx') =>
    void downloadTable(table(), `compare-${group}-${from}-${to}${compared ? '-vs-before' : ''}`, format, t('compare.title')).catch(
      setError,
    );

  const header = (label: string, s: FigureSort, title?: string) => (
    <th key={label} className="compare-th" aria-sort={ariaSort(s)} title={title}>
      <button type="button" className="compare-sort" onClick={() => sortBy(s)}>
        {label}
        {sortMark(s)}
      </button>
    </th>
  );

  return (
    <section
      className={`panel compare-panel${selectedCode ? ' beside-inspector' : ''}`}
      aria-label={t('compare.title')}
      data-testid="compare-panel"
    >
      <header className="panel-header">
        <h2>{t('compare.title')}</h2>
        <button type="button" className="close" onClick={onClose} aria-label={t('compare.close')} title={t('compare.close')}>
          ×
        </button>
      </header>
      <div className="compare-controls">
        <label>
          {t('compare.group')}{' '}
          <select value={group} onChange={(e) => setGroup(e.target.value as 'cell' | 'community')} data-testid="compare-group">
            <option value="cell">{t('compare.byCell')}</option>
            <option value="community">{t('compare.byCommunity')}</option>
          </select>
        </label>
        <label>
          {t('compare.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="compare-from" />
        </label>
        <label>
          {t('compare.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="compare-to" />
        </label>
        <label>
          <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} data-testid="compare-previous" />{' '}
          {t('compare.previous')}
        </label>
        <input
          type="search"
          value={text}
          placeholder={t('compare.filter')}
          aria-label={t('compare.filter')}
          onChange={(e) => setText(e.target.value)}
          data-testid="compare-filter"
        />
        {group === 'cell' && (
          <fieldset className="compare-classes" aria-label={t('compare.classes')}>
            {(['A', 'B', 'C'] as const).map((c) => (
              <label key={c} className="class-chip" style={classChip(c)}>
                <input
                  type="checkbox"
                  checked={classes.includes(c)}
                  onChange={(e) => setClasses(e.target.checked ? [...classes, c] : classes.filter((x) => x !== c))}
                  data-testid={`compare-class-${c}`}
                />
                {c}
              </label>
            ))}
          </fieldset>
        )}
        <span className="compare-export">
          {onAreaReport && (
            <button
              type="button"
              className="btn"
              disabled={!valid || (group === 'community' && rows.length === 0)}
              title={t('areaReport.openHint')}
              onClick={() =>
                onAreaReport(
                  group === 'community'
                    ? ((rows.find((r) => ticked.has(r.key)) ?? rows.find((r) => r.key === opened) ?? rows[0]) as FigureRow).key
                    : 'district',
                  { from, to, compare },
                )
              }
              data-testid="compare-area-report"
            >
              {group === 'community' ? t('areaReport.communityKicker') : t('areaReport.districtKicker')}
            </button>
          )}
          {onAtlas && (
            <select
              className="compare-select"
              value={atlasOfNow}
              onChange={(e) => setAtlasOf(e.target.value as typeof atlasOf)}
              aria-label={t('atlas.of')}
              data-testid="compare-atlas-of"
            >
              <option value="shown">{t('atlas.ofShown')}</option>
              <option value="picked" disabled={picked.length === 0}>
                {t('atlas.ofPicked', { n: formatCount(picked.length, lang) })}
              </option>
              {([90, 95, 99] as const).map((level) => (
                <option key={level} value={`hotspot:${level}`}>
                  {t('atlas.ofHotspotOption', { level })}
                </option>
              ))}
            </select>
          )}
          {onAtlas && (
            <button
              type="button"
              className="btn"
              disabled={
                !valid ||
                (atlasOfNow === 'shown' && (rows.length === 0 || rows.length > ATLAS_MAX_CELLS)) ||
                (atlasOfNow === 'picked' && picked.length > ATLAS_MAX_CELLS)
              }
              title={t('compare.atlasHint')}
              onClick={() =>
                onAtlas(
                  atlasOfNow === 'picked'
                    ? { kind: 'cells', codes: [...picked] }
                    : atlasOfNow !== 'shown'
                      ? { kind: 'hotspot', level: Number(atlasOfNow.slice('hotspot:'.length)) as HotspotLevel }
                      : group === 'cell'
                        ? { kind: 'cells', codes: rows.map((r) => r.key) }
                        : { kind: 'community', code: (rows[0] as FigureRow).key },
                  { from, to },
                )
              }
              data-testid="compare-atlas"
            >
              {t('atlas.open')}
            </button>
          )}
          <button type="button" className="btn" disabled={rows.length === 0} onClick={() => exportAs('csv')} data-testid="compare-csv">
            {t('compare.exportCsv')}
          </button>
          <button type="button" className="btn" disabled={rows.length === 0} onClick={() => exportAs('xlsx')} data-testid="compare-xlsx">
            {t('compare.exportXlsx')}
          </button>
        </span>
      </div>
      <p className="muted compare-note">
        {t('compare.periodNote')}
        {before && ` ${t('compare.previousRange', { from: localDay(before.from), to: localDay(before.to) })}`}
      </p>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {!data && error === null && valid && (
        <p role="status" data-testid="compare-loading">
          {t('compare.loading')}
        </p>
      )}
      {data && (
        <div className="compare-body">
          <div className="compare-table" ref={body}>
            <table data-testid="compare-table">
              <thead>
                <tr>
                  <th className="compare-th" aria-label={t('compare.chart')} />
                  {header(t('compare.code'), { by: 'key' })}
                  {header(t('compare.name'), { by: 'name' })}
                  <th className="compare-th">{group === 'cell' ? t('compare.class') : t('compare.cells')}</th>
                  {FIGURE_METRICS.map((m) =>
                    header(
                      t(`compare.metric.${m}`),
                      { by: 'metric', metric: m },
                      group === 'community' && m === 'medianHandlingHours' ? t('compare.notAdditive') : undefined,
                    ),
                  )}
                  {deltaMetrics.map((m) => header(`${t(`compare.metric.${m}`)} ${t('compare.delta')}`, { by: 'delta', metric: m }))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <FigureTableRow
                    key={r.key}
                    row={r}
                    selected={group === 'cell' && r.key === selectedCode}
                    ticked={ticked.has(r.key)}
                    deltaMetrics={deltaMetrics}
                    format={n}
                    tickLabel={t('compare.pick', { name: r.name })}
                    onTick={(on) => {
                      const next = new Set(ticked);
                      if (on) next.add(r.key);
                      else next.delete(r.key);
                      setTicked(next);
                    }}
                    onOpen={() => {
                      setOpened(r.key);
                      onLocate(group, r.key);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted" data-testid="compare-count">
            {t('compare.rows', { count: rows.length, n: formatCount(rows.length, lang) })}
          </p>
          <figure className="compare-chart">
            <figcaption>
              {t('compare.chart')} ·{' '}
              <select
                value={chartMetric}
                onChange={(e) => setChartMetric(e.target.value as FigureMetric)}
                data-testid="compare-chart-metric"
              >
                {FIGURE_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t(`compare.metric.${m}`)}
                  </option>
                ))}
              </select>
              <span className="muted"> {t('compare.chartHint')}</span>
            </figcaption>
            <FigureChart
              rows={chartRows}
              metric={chartMetric}
              compared={compared && PERIOD_METRICS.includes(chartMetric)}
              format={n}
              labels={{ now: t('compare.chartNow'), before: t('compare.chartBefore') }}
            />
          </figure>
        </div>
      )}
    </section>
  );
}

function FigureTableRow({
  row,
  selected,
  ticked,
  deltaMetrics,
  format,
  tickLabel,
  onTick,
  onOpen,
}: {
  row: FigureRow;
  selected: boolean;
  ticked: boolean;
  deltaMetrics: readonly FigureMetric[];
  format(v: number | null, metric?: FigureMetric): string;
  tickLabel: string;
  onTick(on: boolean): void;
  onOpen(): void;
}) {
  return (
    <tr data-row={row.key} aria-selected={selected} className={selected ? 'compare-tr selected' : 'compare-tr'} onClick={onOpen}>
      <td className="compare-td">
        <input
          type="checkbox"
          checked={ticked}
          aria-label={tickLabel}
          onClick={(e) => e.stopPropagation()}
          onChange={(e) => onTick(e.target.checked)}
        />
      </td>
      <td className="compare-td code">{row.key}</td>
      <td className="compare-td">
        {row.name}
        {row.community && <span className="muted"> · {row.community}</span>}
      </td>
      <td className="compare-td">
        {row.cls ? (
          <span className="class-chip" style={classChip(row.cls)}>
            {row.cls}
          </span>
        ) : (
          row.cells
        )}
      </td>
      {FIGURE_METRICS.map((m) => (
        <td key={m} className="compare-td num" data-metric={m}>
          {format(row.values[m], m)}
        </td>
      ))}
      {deltaMetrics.map((m) => {
        const d = figureDelta(row, m);
        return (
          <td key={m} data-delta={m} className={`compare-td num delta${d !== null && d > 0 ? ' up' : d !== null && d < 0 ? ' down' : ''}`}>
            {d === null ? '—' : `${d > 0 ? '+' : ''}${format(d, m)}`}
          </td>
        );
      })}
    </tr>
  );
}

/** Horizontal bars of one figure for the rows given (two per row when the period before is compared). */
function FigureChart({
  rows,
  metric,
  compared,
  format,
  labels,
}: {
  rows: readonly FigureRow[];
  metric: FigureMetric;
  compared: boolean;
  format(v: number | null, metric?: FigureMetric): string;
  labels: { now: string; before: string };
}) {
  const bar = compared ? 9 : 14;
  const step = compared ? 24 : 20;
  const max = Math.max(1e-9, ...rows.flatMap((r) => [r.values[metric] ?? 0, compared ? (r.before?.[metric] ?? 0) : 0]));
  const width = 520;
  const left = 150;
  const scale = (v: number | null) => ((v ?? 0) / max) * (width - left - 70);
  return (
    <svg
      viewBox={`0 0 ${width} ${Math.max(1, rows.length) * step + (compared ? 22 : 4)}`}
      className="compare-bars"
      role="img"
      aria-label={rows.map((r) => `${r.name} ${format(r.values[metric], metric)}`).join(', ')}
      data-testid="compare-chart"
    >
      {rows.map((r, i) => (
        <g key={r.key} transform={`translate(0 ${i * step + 2})`}>
          <text x={left - 6} y={bar} textAnchor="end" className="compare-bar-label">
            {r.name.length > 12 ? `${r.name.slice(0, 11)}…` : r.name}
          </text>
          <rect
            x={left}
            y={0}
            width={scale(r.values[metric])}
            height={bar}
            className="compare-bar now"
            data-value={r.values[metric] ?? ''}
          />
          <text x={left + scale(r.values[metric]) + 4} y={bar - 2} className="compare-bar-value">
            {format(r.values[metric], metric)}
          </text>
          {compared && (
            <>
              <rect
                x={left}
                y={bar + 1}
                width={scale(r.before?.[metric] ?? null)}
                height={bar}
                className="compare-bar before"
                data-value={r.before?.[metric] ?? ''}
              />
              <text x={left + scale(r.before?.[metric] ?? null) + 4} y={2 * bar - 1} className="compare-bar-value">
                {format(r.before?.[metric] ?? null, metric)}
              </text>
            </>
          )}
        </g>
      ))}
      {compared && (
        <g transform={`translate(${left} ${rows.length * step + 6})`} className="compare-legend">
          <rect width="10" height="10" className="compare-bar now" />
          <text x="14" y="9">
            {labels.now}
          </text>
          <rect x="110" width="10" height="10" className="compare-bar before" />
          <text x="124" y="9">
            {labels.before}
          </text>
        </g>
      )}
    </svg>
  );
}
