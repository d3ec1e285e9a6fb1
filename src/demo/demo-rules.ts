import type { RuleSet } from '../domain/classify';

/**
 * The rule set the demo district's cells are classed by when it is loaded (saved as version 1, so
 * that the class of every cell can be traced to a rule set the user can open): problem volume
 * (events of the last year) weighs 0.7 and workload (households) 0.3, each as a percentile rank;
 * a score of 0.85 or more is A, of 0.55 or more B. The same rule as the generator's first classes.
 */
export const DEMO_RULE_SET: RuleSet = {
  name: '示例规则：事件与户数',
  weights: { events: 0.7, households: 0.3 },
  normalize: 'rank',
  method: 'thresholds',
  A: 0.85,
  B: 0.55,
  eventDays: 365,
};
