import type { CellClass } from './ids';
import type { CellFigures } from './records';

/** The figures a comparison shows, in column order. */
export const FIGURE_METRICS = [
  'people',
  'places',
  'things',
  'organisations',
  'events',
  'casesReported',
  'casesOpen',
  'casesOverdue',
  'casesClosed',
  'medianHandlingHours',
  'riskIndex',
] as const;
export type FigureMetric = (typeof FIGURE_METRICS)[number];

/** The figures of a period (the others are counts as of now), compared between two periods. */
export const PERIOD_METRICS: readonly FigureMetric[] = ['events', 'casesReported', 'casesClosed', 'medianHandlingHours'];

/** One row of a comparison: a cell, or a community summed over its cells. */
export interface FigureRow {
  /** The cell's or the community's code. */
  key: string;
  name: string;
  /** The cell's community (null for a community's row). */
  community: string | null;
  /** The cell's class (null for a community's row). */
  cls: CellClass | null;
  /** The cells the row covers (1 for a cell). */
  cells: number;
  values: Record<FigureMetric, number | null>;
  /** The earlier period's figures (when two periods are compared). */
  before?: Record<FigureMetric, number | null>;
}

const valuesOf = (f: CellFigures): Record<FigureMetric, number | null> =>
  Object.fromEntries(FIGURE_METRICS.map((m) => [m, f[m]])) as Record<FigureMetric, number | null>;

/** One row per cell. */
export function cellRows(figures: readonly CellFigures[]): FigureRow[] {
  return figures.map((f) => ({ key: f.code, name: f.name, community: f.communityName, cls: f.class, cells: 1, values: valuesOf(f) }));
}

/**
 * One row per community, over its cells: counts summed; the risk index as the community's own
 * (the cells' indexes weighted by their areas, as the index is a density); the median handling
 * time is not made from the cells' medians (it is not a sum), so it stays empty.
 */
export function communityRows(figures: readonly CellFigures[]): FigureRow[] {
  const groups = new Map<string, CellFigures[]>();
  for (const f of figures) {
    const key = f.communityCode ?? '';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.entries()].map(([key, cells]) => ({
    key,
    name: cells[0]?.communityName ?? key,
    community: null,
    cls: null,
    cells: cells.length,
    values: zoneTotals(cells),
  }));
}

/**
 * The figures of a zone (a community, the district) over its cells: counts summed, the risk index
 * weighted by the cells' areas, no median handling time (not a sum of the cells').
 */
export function zoneTotals(cells: readonly CellFigures[]): Record<FigureMetric, number | null> {
  const sum = (m: FigureMetric) => cells.reduce((s, c) => s + Number(c[m] ?? 0), 0);
  const area = cells.reduce((s, c) => s + c.areaSquareMeters, 0);
  const values = Object.fromEntries(FIGURE_METRICS.map((m) => [m, sum(m)])) as Record<FigureMetric, number | null>;
  values.medianHandlingHours = null;
  values.riskIndex = area > 0 ? Math.round((cells.reduce((s, c) => s + c.riskIndex * c.areaSquareMeters, 0) / area) * 100) / 100 : 0;
  return values;
}

/** Each figure's median over the cells given (null for none). */
export function cellMedians(cells: readonly CellFigures[]): Record<FigureMetric, number | null> {
  return Object.fromEntries(FIGURE_METRICS.map((m) => [m, median(cells.map((c) => c[m]))])) as Record<FigureMetric, number | null>;
}

/** How many of the cells given are hot or cold spots of each class (−3..3, 0 left out) and of each trend. */
export function hotspotTally(
  codes: readonly string[],
  hotspots: ReadonlyMap<string, { hotspot: number; trend: string | null }>,
): { bins: Record<string, number>; trends: Record<string, number> } {
  const bins: Record<string, number> = {};
  const trends: Record<string, number> = {};
  for (const code of codes) {
    const h = hotspots.get(code);
    if (!h) continue;
    if (h.hotspot !== 0) bins[h.hotspot] = (bins[h.hotspot] ?? 0) + 1;
    if (h.trend) trends[h.trend] = (trends[h.trend] ?? 0) + 1;
  }
  return { bins, trends };
}

/** The items in pages of `perPage` (at least one page, empty when there are none). */
export function pagesOf<T>(items: readonly T[], perPage: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += perPage) pages.push(items.slice(i, i + perPage));
  return pages.length > 0 ? pages : [[]];
}

/**
 * The class a cell had at a time: the class the first change after it changed from (null: none
 * yet then), or the current class when none came after.
 */
export function classAt(
  current: CellClass,
  changes: readonly { fromClass: CellClass | null; changedAt: string }[],
  at: string,
): CellClass | null {
  const t = Date.parse(at);
  const after = changes.filter((c) => Date.parse(c.changedAt) > t).sort((a, b) => Date.parse(a.changedAt) - Date.parse(b.changedAt));
  return after.length > 0 ? (after[0]?.fromClass ?? null) : current;
}

/** The rows with the earlier period's figures beside them (a row missing then has none). */
export function withBefore(rows: readonly FigureRow[], earlier: readonly FigureRow[]): FigureRow[] {
  const then = new Map(earlier.map((r) => [r.key, r.values]));
  return rows.map((r) => {
    const before = then.get(r.key);
    return before ? { ...r, before } : { ...r };
  });
}

/** How much a figure changed since the earlier period; null when either is missing. */
export function figureDelta(row: FigureRow, metric: FigureMetric): number | null {
  const now = row.values[metric];
  const then = row.before?.[metric];
  if (now === null || then === null || then === undefined) return null;
  return Math.round((now - then) * 100) / 100;
}

/** What a comparison is sorted by: the code or name, a figure, or its change. */
export type FigureSort = { by: 'key' | 'name' } | { by: 'metric' | 'delta'; metric: FigureMetric };

/** The rows sorted (missing figures last, either way), ties by code. */
export function sortRows(rows: readonly FigureRow[], sort: FigureSort, descending: boolean): FigureRow[] {
  const value = (r: FigureRow): string | number | null => {
    if (sort.by === 'metric') return r.values[sort.metric];
    if (sort.by === 'delta') return figureDelta(r, sort.metric);
    return sort.by === 'key' ? r.key : r.name;
  };
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || y === null) return x === y ? a.key.localeCompare(b.key) : x === null ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
    return (descending ? -order : order) || a.key.localeCompare(b.key);
  });
}

/** The rows whose code, name or community contains `text` (any case), of the classes given (none: all). */
export function filterRows(rows: readonly FigureRow[], text: string, classes: readonly CellClass[]): FigureRow[] {
  const needle = text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (needle === '' || [r.key, r.name, r.community ?? ''].some((s) => s.toLowerCase().includes(needle))) &&
      (classes.length === 0 || (r.cls !== null && classes.includes(r.cls))),
  );
}

/** The period of the same length just before [from, to) (ISO times). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const start = Date.parse(from);
  const length = Date.parse(to) - start;
  return { from: new Date(start - length).toISOString(), to: new Date(start).toISOString() };
}

/** The median of the numbers given (the mean of the middle two for an even count); null for none. */
export function median(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const m = Math.floor(xs.length / 2);
  return xs.length % 2 ? (xs[m] as number) : ((xs[m - 1] as number) + (xs[m] as number)) / 2;
}

/** A figure of one cell beside the medians of its community's cells and of every cell given. */
export interface FigureComparison {
  metric: FigureMetric;
  cell: number | null;
  community: number | null;
  all: number | null;
}

/** Each figure of the cell `code` beside its community's and all the cells' medians (null: the cell is not among them). */
export function reportComparison(figures: readonly CellFigures[], code: string): FigureComparison[] | null {
  const cell = figures.find((f) => f.code === code);
  if (!cell) return null;
  const neighbours = figures.filter((f) => f.communityCode === cell.communityCode);
  return FIGURE_METRICS.map((metric) => ({
    metric,
    cell: cell[metric],
    community: median(neighbours.map((f) => f[metric])),
    all: median(figures.map((f) => f[metric])),
  }));
}

/**
 * Counts of the times given (ISO) by calendar month (UTC+8, China's time), every month of the
 * period [from, to) listed, empty ones as 0; of a period longer than two years, from the first
 * month with any (a chart of all time starts where the data does).
 */
export function countsByMonth(times: readonly string[], from: string, to: string): { month: string; count: number }[] {
  const CHINA = 8 * 3600_000;
  const month = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 7);
  const counts = new Map<string, number>();
  const start = new Date(Date.parse(from) + CHINA);
  const end = Date.parse(to) + CHINA;
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); Date.UTC(y, m, 1) < end; m++) {
    counts.set(new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7), 0);
  }
  for (const t of times) {
    const key = month(Date.parse(t));
    if (counts.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const months = [...counts.entries()].map(([m, count]) => ({ month: m, count }));
  if (months.length <= 24) return months;
  const first = months.findIndex((m) => m.count > 0);
  return first < 0 ? months.slice(-12) : months.slice(first);
}
