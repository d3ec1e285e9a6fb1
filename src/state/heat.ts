import type { FeatureCollection } from 'geojson';
import type { HeatSettings } from './ui-state';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the last heatmap was made of, shown under the title. */
export interface HeatStatus {
  counted: number;
  max: number;
  ms: number;
  /** Threads that computed the density. */
  threads: number;
  computing: boolean;
}

/** The chart's bars: events per day over the whole time range, for the district or a cell or community. */
export interface HeatChart {
  scope: 'district' | 'community' | 'cell';
  /** Name of the cell or community the chart counts (null for the district). */
  name: string | null;
  /** Events per day from `from`. */
  counts: number[];
  from: number;
}

/** The hot spot view: cells to colour, and how many of each class and trend. */
export interface HotspotView {
  shapes: FeatureCollection;
  /** Cells per class, −3..3. */
  classes: Record<number, number>;
  /** Cells per trend, when compared with the window before. */
  trends: Record<string, number> | null;
}

/** Snaps a time to its step (days in China Standard Time, or hours). */
export function snapToStep(ms: number, step: HeatSettings['step']): number {
  if (step === 'hour') return Math.ceil(ms / HOUR) * HOUR;
  const shift = 8 * HOUR; // UTC+8
  return Math.ceil((ms + shift) / DAY) * DAY - shift;
}
