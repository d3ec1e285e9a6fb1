import type { CellClass, PointKind } from '../domain/ids';

// The colours that mean something (classes, kinds, severities, density classes, hot spots), shared by
// the map, the panels' legends and the density workers, so a legend always shows what the map draws.

/** Fill colour of each cell class: A key (red), B secondary (amber), C normal (green). */
export const CELL_CLASS_COLORS: Record<CellClass, string> = {
  A: '#d93b30',
  B: '#f0a020',
  C: '#4caf68',
};

/** Outline of the selected cell. */
export const SELECTED_CELL_COLOR = '#1d3f9a';

/** The street the wall screen shows, outlined over the dark map (no class, risk or problem uses it). */
export const FOCUS_COLOR = '#00e5ff';

/** Topology problems (gaps, overlaps, slivers …): a colour no class uses, hatched, dashed outline. */
export const PROBLEM_COLOR = '#7b2fbf';

export type Rgba = [number, number, number, number];

/** Colour of each entity kind on the map. */
export const KIND_COLORS: Record<Exclude<PointKind, 'event'>, Rgba> = {
  person: [59, 130, 196, 170],
  place: [142, 68, 173, 220],
  thing: [22, 160, 133, 230],
  organisation: [211, 84, 0, 220],
};

/** Colour of events by severity 1..4, yellow to dark red. */
export const SEVERITY_COLORS: Record<1 | 2 | 3 | 4, Rgba> = {
  1: [246, 194, 68, 220],
  2: [240, 140, 50, 230],
  3: [215, 60, 40, 240],
  4: [140, 10, 30, 255],
};

/** Groups of case states as the map and its legend colour them. */
export const CASE_STATE_GROUPS = ['todo', 'handling', 'answered', 'done', 'rejected'] as const;
export type CaseStateGroup = (typeof CASE_STATE_GROUPS)[number];

/** The group of a case state: waiting for the command centre, with a department, to verify, closed, rejected. */
export function caseStateGroup(state: string): CaseStateGroup {
  if (state === 'dispatched' || state === 'in_progress') return 'handling';
  if (state === 'answered') return 'answered';
  if (state === 'closed' || state === 'evaluated') return 'done';
  if (state === 'rejected') return 'rejected';
  return 'todo';
}

/** Colour of cases by state group; overdue ones get a red ring (CASE_OVERDUE_COLOR). */
export const CASE_GROUP_COLORS: Record<CaseStateGroup, Rgba> = {
  todo: [230, 126, 34, 255],
  handling: [33, 102, 172, 255],
  answered: [118, 66, 170, 255],
  done: [46, 125, 50, 220],
  rejected: [140, 140, 140, 200],
};
export const CASE_OVERDUE_COLOR: Rgba = [198, 40, 40, 255];

/**
 * The heatmap's colour scale, fixed in density units (events per km², or weighted events per
 * km²): the same density has the same colour at every zoom, in every view and time window.
 * Below the first break nothing is drawn.
 */
export const HEAT_BREAKS = [5, 10, 20, 50, 100, 200, 500, 1000, 2000] as const;

/** One colour per class (RGBA, 0–255): from pale yellow, through orange and red, to dark purple. */
export const HEAT_COLORS: readonly (readonly [number, number, number, number])[] = [
  [255, 245, 180, 110],
  [254, 224, 139, 140],
  [253, 190, 100, 165],
  [252, 141, 60, 185],
  [240, 90, 40, 200],
  [215, 48, 39, 210],
  [175, 20, 45, 220],
  [128, 0, 60, 230],
  [75, 0, 75, 240],
];

/** Returns the class of a density: −1 below the first break, else the last break it reaches. */
export function heatClass(value: number): number {
  let k = -1;
  for (let i = 0; i < HEAT_BREAKS.length; i++) if (value >= (HEAT_BREAKS[i] as number)) k = i;
  return k;
}

/** Returns RGBA pixels (row-major from the north-west, like the raster) for density values. */
export function colorizeHeat(values: ArrayLike<number>): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const k = heatClass(values[i] as number);
    if (k < 0) continue;
    const c = HEAT_COLORS[k] as readonly number[];
    out[i * 4] = c[0] as number;
    out[i * 4 + 1] = c[1] as number;
    out[i * 4 + 2] = c[2] as number;
    out[i * 4 + 3] = c[3] as number;
  }
  return out;
}

/** Colours of Gi* classes, cold (blue) to hot (red), as ArcGIS draws Gi_Bin; 0 is not drawn. */
export const HOTSPOT_COLORS: Record<number, string> = {
  3: '#b2182b',
  2: '#ef8a62',
  1: '#fddbc7',
  [-1]: '#d1e5f0',
  [-2]: '#67a9cf',
  [-3]: '#2166ac',
};

/** Colours of the two-period trend of hot spots. */
export const TREND_COLORS: Record<string, string> = {
  new: '#7b3294',
  intensifying: '#d7191c',
  persistent: '#fdae61',
  diminishing: '#74add1',
};

/** The fill colour of a cell in the hot spot view: its trend when compared, else its class; null for none. */
export function hotspotColor(hotspot: number, trend: string | null | undefined): string | null {
  if (trend !== undefined) return trend ? (TREND_COLORS[trend] ?? null) : null;
  return HOTSPOT_COLORS[hotspot] ?? null;
}
