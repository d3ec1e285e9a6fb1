import type { CellClass } from '../domain/ids';

/** Fill colour of each cell class: A key (red), B secondary (amber), C normal (green). */
export const CELL_CLASS_COLORS: Record<CellClass, string> = {
  A: '#d93b30',
  B: '#f0a020',
  C: '#4caf68',
};

/** Outline of the selected cell. */
export const SELECTED_CELL_COLOR = '#1d3f9a';

/** Opacity of the cells' fill: stronger when zoomed out, lighter close up (0.5 at zoom 11, 0.28 at 16). */
export const CELL_FILL_OPACITY_STOPS: readonly [number, number, number, number] = [11, 0.5, 16, 0.28];

/** Returns the cells' fill opacity at `zoom`, as the map's interpolation gives it. */
export function cellFillOpacity(zoom: number): number {
  const [z0, a0, z1, a1] = CELL_FILL_OPACITY_STOPS;
  const t = Math.min(1, Math.max(0, (zoom - z0) / (z1 - z0)));
  return a0 + (a1 - a0) * t;
}
