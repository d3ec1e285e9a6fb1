/** Which events a heatmap or risk index counts, and how much each weighs. */
export interface EventFilter {
  /** Time window in epoch milliseconds: from (inclusive) to (exclusive). */
  from: number;
  to: number;
  /** Categories counted; null for all. */
  categories: readonly string[] | null;
  /** Sources counted (grid_worker, camera, …); null or absent for all. */
  sources?: readonly string[] | null;
  /** Lowest severity counted (1–4). */
  minSeverity: number;
  /** Each event counts 1, or its severity (1–4). */
  weightBy: 'count' | 'severity';
  /** An event weighs half as much every this many days before `to`; null for no decay. */
  halfLifeDays: number | null;
}

/**
 * Returns each event's weight under a filter: 0 when it is outside the window, of another
 * category or source, or below the severity; else 1 or its severity, decayed by age before the window's end.
 */
export function eventWeights(
  time: ArrayLike<number>,
  severity: ArrayLike<number>,
  category: readonly string[],
  filter: EventFilter,
  source?: readonly string[],
): Float64Array {
  const out = new Float64Array(time.length);
  const categories = filter.categories ? new Set(filter.categories) : null;
  const sources = filter.sources && source ? new Set(filter.sources) : null;
  for (let i = 0; i < time.length; i++) {
    const t = time[i] as number;
    const s = severity[i] as number;
    if (!(t >= filter.from && t < filter.to) || s < filter.minSeverity) continue;
    if (categories && !categories.has(category[i] as string)) continue;
    if (sources && !sources.has(source?.[i] as string)) continue;
    out[i] = decayedWeight(filter.weightBy === 'severity' ? s : 1, t, filter.to, filter.halfLifeDays);
  }
  return out;
}

/** Events per time step (day or hour) from `from` to `to`, for a chart. `weights` picks the events (> 0). */
export function eventsOverTime(time: ArrayLike<number>, from: number, to: number, stepMs: number, pick?: (i: number) => boolean): number[] {
  const n = Math.max(0, Math.ceil((to - from) / stepMs));
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < time.length; i++) {
    const t = time[i] as number;
    if (t < from || t >= to || (pick && !pick(i))) continue;
    const k = Math.floor((t - from) / stepMs);
    out[k] = (out[k] as number) + 1;
  }
  return out;
}

/**
 * Returns an event's weight: its severity weight, halved every `halfLifeDays` of age before `now`
 * (no decay when halfLifeDays is null). Events after `now` weigh 0 (they have not happened yet).
 */
export function decayedWeight(weight: number, occurredMs: number, nowMs: number, halfLifeDays: number | null): number {
  if (occurredMs > nowMs) return 0;
  if (halfLifeDays === null) return weight;
  return weight * 0.5 ** ((nowMs - occurredMs) / 86_400_000 / halfLifeDays);
}
