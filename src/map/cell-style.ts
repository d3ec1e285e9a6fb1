import type { CellClass } from '../domain/ids';

/** Fill colour of each cell class: A key (red), B secondary (amber), C normal (green). */
export const CELL_CLASS_COLORS: Record<CellClass, string> = {
  A: '#d93b30',
  B: '#f0a020',
  C: '#4caf68',
};

/** Outline of the selected cell. */
export const SELECTED_CELL_COLOR = '#1d3f9a';
