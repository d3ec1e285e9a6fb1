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

/**
 * The bounds of a rule set's values: generous for any real use, tight enough that a score stays
 * finite and a run stays bounded (a weight of 1e308 made every score infinite and every cell A).
 * The database checks the same (rule_set_problem).
 */
export const RULE_LIMITS = { weight: 1000, threshold: 1e9, eventDays: 3650, halfLifeDays: 3650, hazardWeight: 1000 } as const;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What is wrong with a rule set: a code the UI words in the user's language, with its values. */
export type RuleSetIssue =
  | { code: 'not-object' | 'name' | 'name-length' | 'weights-object' | 'no-weight' | 'normalize' | 'method' }
  | { code: 'unknown-input'; input: string }
  | { code: 'weight'; input: string; max: number }
  | { code: 'thresholds-range' | 'event-days' | 'half-life' | 'hazard-weight'; max: number }
  | { code: 'threshold-order' | 'shares' | 'risk-object' | 'risk-per' };

/** Returns what is wrong with a rule set (JSON from a file, the editor or the database), or null when it is usable. */
export function ruleSetIssue(rules: unknown): RuleSetIssue | null {
  const r = rules as Partial<RuleSet> | null;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return { code: 'not-object' };
  if (typeof r.name !== 'string' || r.name.trim() === '') return { code: 'name' };
  if (r.name.length > 200) return { code: 'name-length' };
  if (!r.weights || typeof r.weights !== 'object' || Array.isArray(r.weights)) return { code: 'weights-object' };
  const entries = Object.entries(r.weights);
  for (const [k, w] of entries) {
    if (!CLASS_INPUTS.includes(k as ClassInput)) return { code: 'unknown-input', input: k };
    if (!isNumber(w) || w < 0 || w > RULE_LIMITS.weight) return { code: 'weight', input: k, max: RULE_LIMITS.weight };
  }
  if (!entries.some(([, w]) => (w as number) > 0)) return { code: 'no-weight' };
  if (!['rank', 'max', 'none'].includes(r.normalize as string)) return { code: 'normalize' };
  if (!['thresholds', 'quantiles'].includes(r.method as string)) return { code: 'method' };
  if (!isNumber(r.A) || !isNumber(r.B) || Math.abs(r.A) > RULE_LIMITS.threshold || Math.abs(r.B) > RULE_LIMITS.threshold)
    return { code: 'thresholds-range', max: RULE_LIMITS.threshold };
  if (r.method === 'thresholds' && r.A < r.B) return { code: 'threshold-order' };
  if (r.method === 'quantiles' && (r.A < 0 || r.B < 0 || r.A + r.B > 1)) return { code: 'shares' };
  if (r.eventDays !== undefined && !(Number.isInteger(r.eventDays) && r.eventDays > 0 && r.eventDays <= RULE_LIMITS.eventDays))
    return { code: 'event-days', max: RULE_LIMITS.eventDays };
  if (
    r.halfLifeDays !== undefined &&
    r.halfLifeDays !== null &&
    !(isNumber(r.halfLifeDays) && r.halfLifeDays > 0 && r.halfLifeDays <= RULE_LIMITS.halfLifeDays)
  )
    return { code: 'half-life', max: RULE_LIMITS.halfLifeDays };
  if (r.risk !== undefined) {
    const risk = r.risk as Partial<RiskOptions> | null;
    if (!risk || typeof risk !== 'object' || Array.isArray(risk)) return { code: 'risk-object' };
    if (risk.per !== 'area' && risk.per !== 'residents') return { code: 'risk-per' };
    if (!isNumber(risk.hazardWeight) || risk.hazardWeight < 0 || risk.hazardWeight > RULE_LIMITS.hazardWeight)
      return { code: 'hazard-weight', max: RULE_LIMITS.hazardWeight };
  }
  return null;
}

/** Returns a rule set issue in English (files, the CLI, and the database's rule_set_problem, word for word). */
export function ruleSetIssueText(issue: RuleSetIssue): string {
  switch (issue.code) {
    case 'not-object':
      return 'the rule set is not a JSON object';
    case 'name':
      return '"name" must be a non-empty text';
    case 'name-length':
      return '"name" must be at most 200 characters';
    case 'weights-object':
      return '"weights" must be an object of input → weight';
    case 'unknown-input':
      return `"weights" has an unknown input "${issue.input}"; inputs are ${CLASS_INPUTS.join(', ')}`;
    case 'weight':
      return `the weight of "${issue.input}" must be a number from 0 to ${issue.max}`;
    case 'no-weight':
      return '"weights" must weigh at least one input more than 0';
    case 'normalize':
      return '"normalize" must be "rank", "max" or "none"';
    case 'method':
      return '"method" must be "thresholds" or "quantiles"';
    case 'thresholds-range':
      return `"A" and "B" must be numbers from -${issue.max} to ${issue.max}`;
    case 'threshold-order':
      return 'the A threshold must be at least the B threshold';
    case 'shares':
      return 'the A and B shares must be ≥ 0 and add up to at most 1';
    case 'event-days':
      return `"eventDays" must be a whole number of days from 1 to ${issue.max}`;
    case 'half-life':
      return `"halfLifeDays" must be a number of days above 0 and up to ${issue.max}, or null for no decay`;
    case 'risk-object':
      return '"risk" must be an object {per, hazardWeight}';
    case 'risk-per':
      return '"risk.per" must be "area" (per km²) or "residents" (per 1,000 residents)';
    case 'hazard-weight':
      return `"risk.hazardWeight" must be a number from 0 to ${issue.max}`;
  }
}

/** Returns what is wrong with a rule set in English, or null when it is usable. */
export function ruleSetProblem(rules: unknown): string | null {
  const issue = ruleSetIssue(rules);
  return issue ? ruleSetIssueText(issue) : null;
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
