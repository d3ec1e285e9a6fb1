/** Periods a report or a ranking is asked for, as Beijing publishes its monthly complaint rankings. */
export const PERIOD_PRESETS = ['month', 'lastMonth', 'quarter', 'year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/**
 * The half-open period [from, to) of a preset around `now`, in the time zone of `now`'s Date
 * (the browser's): this month so far (to the start of the next), last month, the last three
 * months including this one, this year.
 */
export function periodOf(preset: PeriodPreset, now: Date): { from: Date; to: Date } {
  const y = now.getFullYear();
  const m = now.getMonth();
  switch (preset) {
    case 'month':
      return { from: new Date(y, m, 1), to: new Date(y, m + 1, 1) };
    case 'lastMonth':
      return { from: new Date(y, m - 1, 1), to: new Date(y, m, 1) };
    case 'quarter':
      return { from: new Date(y, m - 2, 1), to: new Date(y, m + 1, 1) };
    case 'year':
      return { from: new Date(y, 0, 1), to: new Date(y + 1, 0, 1) };
  }
}
