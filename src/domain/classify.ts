import type { CellClass } from './ids';
import type { RiskOptions } from './risk-index';

/** The inputs a rule set may weigh, per cell. */
export const CLASS_INPUTS = ['events', 'households', 'key_persons', 'hazard_sites', 'risk_index'] as const;
export type ClassInput = (typeof CLASS_INPUTS)[number];

/**
 * A rule set for the A/B/C classes. Each input is scaled to 0..1 across the cells ('rank': its
 * percentile rank, ties sharing the mean rank; 'max': its share of the largest value; 'none':
 * as it is, for absolute thresholds), the score is the weighted sum, and the classes come from
 * the score: by `thresholds` (score ≥ A → A, ≥ B → B, else C) or by `quantiles` (the top
 * `A` share of cells → A, the next `B` share → B; cells tied with the last one taken go with it).
 */
export interface RuleSet {
  name: string;
  weights: Partial<Record<ClassInput, number>>;
  normalize: 'rank' | 'max' | 'none';
  method: 'thresholds' | 'quantiles';
  A: number;
  B: number;
  /** Days of events counted back from the run (the database run); default 90. */
  eventDays?: number;
  /**
   * Events (for the events input and the risk index) weigh half as much every this many days
   * back from the run (the database run); null or absent: no decay.
   */
  halfLifeDays?: number | null;
  /**
   * How the `risk_index` input is made (see riskIndex): per km² or per 1,000 residents, and what
   * one hazard site weighs against one event of severity 1. Default: per km², weight 1.
   */
  risk?: RiskOptions;
}

/** The rule set's risk index options, with the defaults filled in. */
export function ruleSetRisk(rules: RuleSet): RiskOptions {
  return { per: rules.risk?.per ?? 'area', hazardWeight: rules.risk?.hazardWeight ?? 1 };
}

export type CellInputs = { code: string } & Partial<Record<ClassInput, number>>;

/** A cell's computed class and everything that produced it. */
export interface ClassResult {
  code: string;
  class: CellClass;
  score: number;
  inputs: Partial<Record<ClassInput, number>>;
  scaled: Partial<Record<ClassInput, number>>;
  /** The score needed for A and for B (the quantile cut-offs when classing by quantiles). */
  cutoffs: { A: number; B: number };
}

/** Returns what is wrong with a rule set (JSON from a file or the editor), or null when it is usable. */
export function ruleSetProblem(rules: unknown): string | null {
  const r = rules as Partial<RuleSet> | null;
  if (!r || typeof r !== 'object') return 'the rule set is not a JSON object';
  if (typeof r.name !== 'string' || r.name.trim() === '') return '"name" must be a non-empty text';
  if (!r.weights || typeof r.weights !== 'object') return '"weights" must be an object of input → weight';
  const entries = Object.entries(r.weights);
  if (entries.length === 0) return '"weights" must weigh at least one input';
  for (const [k, w] of entries) {
    if (!CLASS_INPUTS.includes(k as ClassInput)) return `"weights" has an unknown input "${k}"; inputs are ${CLASS_INPUTS.join(', ')}`;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) return `the weight of "${k}" must be a number ≥ 0`;
  }
  if (!['rank', 'max', 'none'].includes(r.normalize as string)) return '"normalize" must be "rank", "max" or "none"';
  if (!['thresholds', 'quantiles'].includes(r.method as string)) return '"method" must be "thresholds" or "quantiles"';
  if (typeof r.A !== 'number' || typeof r.B !== 'number' || !Number.isFinite(r.A) || !Number.isFinite(r.B))
    return '"A" and "B" must be numbers';
  if (r.method === 'thresholds' && r.A < r.B) return 'the A threshold must be at least the B threshold';
  if (r.method === 'quantiles' && (r.A < 0 || r.B < 0 || r.A + r.B > 1)) return 'the A and B shares must be ≥ 0 and add up to at most 1';
  if (r.eventDays !== undefined && !(Number.isInteger(r.eventDays) && r.eventDays > 0))
    return '"eventDays" must be a whole number of days > 0';
  if (
    r.halfLifeDays !== undefined &&
    r.halfLifeDays !== null &&
    !(typeof r.halfLifeDays === 'number' && r.halfLifeDays > 0 && Number.isFinite(r.halfLifeDays))
  )
    return '"halfLifeDays" must be a number of days > 0, or null for no decay';
  if (r.risk !== undefined) {
    const risk = r.risk as Partial<RiskOptions> | null;
    if (!risk || typeof risk !== 'object') return '"risk" must be an object {per, hazardWeight}';
    if (risk.per !== 'area' && risk.per !== 'residents') return '"risk.per" must be "area" (per km²) or "residents" (per 1,000 residents)';
    if (typeof risk.hazardWeight !== 'number' || !Number.isFinite(risk.hazardWeight) || risk.hazardWeight < 0)
      return '"risk.hazardWeight" must be a number ≥ 0';
  }
  return null;
}

/** Percentile ranks in 0..1: the share of other cells below, ties sharing their mean rank. */
function ranks(values: number[]): number[] {
  const n = values.length;
  if (n <= 1) return values.map(() => 0);
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++;
    const mean = (i + j) / 2 / (n - 1);
    for (let k = i; k <= j; k++) out[(order[k] as readonly [number, number])[1]] = mean;
    i = j + 1;
  }
  return out;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Classes every cell by a rule set (pure; the same in the CLI, the preview and the database run).
 * Throws with the rule set's problem when it is not usable.
 */
export function classifyCells(cells: readonly CellInputs[], rules: RuleSet): ClassResult[] {
  const problem = ruleSetProblem(rules);
  if (problem) throw new Error(problem);
  const inputs = CLASS_INPUTS.filter((k) => (rules.weights[k] ?? 0) > 0);
  const scaledBy = new Map<ClassInput, number[]>();
  for (const k of inputs) {
    const values = cells.map((c) => c[k] ?? 0);
    if (rules.normalize === 'rank') scaledBy.set(k, ranks(values));
    else if (rules.normalize === 'max') {
      const max = Math.max(0, ...values);
      scaledBy.set(
        k,
        values.map((v) => (max > 0 ? v / max : 0)),
      );
    } else scaledBy.set(k, values);
  }
  const scores = cells.map((_, i) =>
    round(inputs.reduce((s, k) => s + (rules.weights[k] as number) * ((scaledBy.get(k) as number[])[i] as number), 0)),
  );
  let cutA = rules.A;
  let cutB = rules.B;
  if (rules.method === 'quantiles') {
    const sorted = [...scores].sort((a, b) => b - a);
    const take = (share: number) => Math.round(share * cells.length);
    const nA = take(rules.A);
    const nB = take(rules.A + rules.B);
    // The score of the last cell taken; ties with it are taken too. Nothing taken: above every score.
    cutA = nA > 0 ? (sorted[nA - 1] as number) : Number.POSITIVE_INFINITY;
    cutB = nB > 0 ? (sorted[nB - 1] as number) : Number.POSITIVE_INFINITY;
  }
  return cells.map((c, i) => {
    const score = scores[i] as number;
    return {
      code: c.code,
      class: score >= cutA ? 'A' : score >= cutB ? 'B' : 'C',
      score,
      inputs: Object.fromEntries(inputs.map((k) => [k, c[k] ?? 0])),
      scaled: Object.fromEntries(inputs.map((k) => [k, round((scaledBy.get(k) as number[])[i] as number)])),
      cutoffs: { A: cutA, B: cutB },
    };
  });
}

/** The reason stored with a cell's class: the rule set and everything the class came from (JSON). */
export function classReason(result: ClassResult, rules: RuleSet, version: number | null): string {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return JSON.stringify({
    rule: rules.name,
    version,
    method: rules.method,
    normalize: rules.normalize,
    weights: rules.weights,
    // How the risk index was made, where the rules weigh it.
    ...((rules.weights.risk_index ?? 0) > 0 ? { risk: ruleSetRisk(rules) } : {}),
    ...(rules.halfLifeDays ? { halfLifeDays: rules.halfLifeDays } : {}),
    inputs: result.inputs,
    scaled: result.scaled,
    score: result.score,
    cutoffs: { A: finite(result.cutoffs.A), B: finite(result.cutoffs.B) },
  });
}
