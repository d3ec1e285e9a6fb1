import { describe, expect, it } from 'vitest';
import { type CellInputs, classifyCells, classReason, type RuleSet, ruleSetProblem } from '../../../src/domain/classify';
import { riskIndex } from '../../../src/domain/risk-index';

const cells = (events: number[], households: number[] = events.map(() => 0)): CellInputs[] =>
  events.map((e, i) => ({ code: `c${i}`, events: e, households: households[i] as number }));

const absolute: RuleSet = { name: 'absolute', weights: { events: 1 }, normalize: 'none', method: 'thresholds', A: 50, B: 20 };

describe('classifyCells', () => {
  it('thresholds: a score equal to a threshold takes the higher class; empty cells are C', () => {
    const out = classifyCells(cells([50, 49.999, 20, 19, 0]), absolute);
    expect(out.map((r) => r.class)).toEqual(['A', 'B', 'B', 'C', 'C']);
    expect(out[0]).toMatchObject({ score: 50, inputs: { events: 50 }, cutoffs: { A: 50, B: 20 } });
  });

  it('ranks: ties share their mean rank, and weights mix inputs', () => {
    const rules: RuleSet = {
      name: 'mix',
      weights: { events: 0.7, households: 0.3 },
      normalize: 'rank',
      method: 'thresholds',
      A: 0.8,
      B: 0.4,
    };
    const out = classifyCells(cells([10, 10, 0, 5, 30], [100, 0, 0, 50, 200]), rules);
    // events ranks: 0→0, 5→0.25, 10,10→0.625 each, 30→1; households: 0,0→0.125, 50→0.5, 100→0.75, 200→1.
    expect(out.map((r) => r.scaled.events)).toEqual([0.625, 0.625, 0, 0.25, 1]);
    expect(out.map((r) => r.scaled.households)).toEqual([0.75, 0.125, 0.125, 0.5, 1]);
    expect(out.map((r) => r.score)).toEqual([0.6625, 0.475, 0.0375, 0.325, 1]);
    expect(out.map((r) => r.class)).toEqual(['B', 'B', 'C', 'C', 'A']);
  });

  it('quantiles: the top shares, and cells tied with the last one taken go with it', () => {
    const rules: RuleSet = { name: 'q', weights: { events: 1 }, normalize: 'max', method: 'quantiles', A: 0.2, B: 0.3 };
    // 10 cells: A takes 2, A+B takes 5; the 5th and 6th tie at 4, so both are B.
    const out = classifyCells(cells([9, 8, 7, 6, 4, 4, 3, 2, 1, 0]), rules);
    expect(out.map((r) => r.class).join('')).toBe('AABBBBCCCC');
    // No A share: no A cell at all, even at the top.
    expect(classifyCells(cells([9, 8]), { ...rules, A: 0, B: 0.5 }).map((r) => r.class)).toEqual(['B', 'C']);
  });

  it('max: an input that is zero everywhere scales to zero, not to NaN', () => {
    const out = classifyCells(cells([0, 0, 0]), { ...absolute, normalize: 'max', A: 0.5, B: 0.1 });
    expect(out.map((r) => [r.score, r.class])).toEqual([
      [0, 'C'],
      [0, 'C'],
      [0, 'C'],
    ]);
  });

  it('explains each class in its reason', () => {
    const [r] = classifyCells(cells([60]), absolute);
    expect(JSON.parse(classReason(r as never, absolute, 3))).toEqual({
      rule: 'absolute',
      version: 3,
      method: 'thresholds',
      normalize: 'none',
      weights: { events: 1 },
      inputs: { events: 60 },
      scaled: { events: 60 },
      score: 60,
      cutoffs: { A: 50, B: 20 },
    });
    // A rule set that weighs the risk index says how it was made (the defaults when it does not say).
    const risky: RuleSet = { ...absolute, weights: { risk_index: 1 } };
    const [q] = classifyCells([{ code: 'x', risk_index: 60 }], risky);
    expect(JSON.parse(classReason(q as never, risky, 1)).risk).toEqual({ per: 'area', hazardWeight: 1 });
    const perResidents = { ...risky, risk: { per: 'residents' as const, hazardWeight: 3 } };
    expect(JSON.parse(classReason(q as never, perResidents, 1)).risk).toEqual({ per: 'residents', hazardWeight: 3 });
    expect(JSON.parse(classReason(q as never, { ...perResidents, halfLifeDays: 30 }, 1)).halfLifeDays).toBe(30);
    expect(JSON.parse(classReason(q as never, perResidents, 1))).not.toHaveProperty('halfLifeDays');
  });

  it('refuses unusable rule sets, naming the problem', () => {
    expect(ruleSetProblem({ ...absolute, weights: { crimes: 1 } })).toContain('unknown input "crimes"');
    expect(ruleSetProblem({ ...absolute, A: 10, B: 20 })).toBe('the A threshold must be at least the B threshold');
    expect(ruleSetProblem({ ...absolute, method: 'quantiles', A: 0.7, B: 0.5 })).toBe(
      'the A and B shares must be ≥ 0 and add up to at most 1',
    );
    expect(ruleSetProblem({ ...absolute, weights: {} })).toBe('"weights" must weigh at least one input more than 0');
    expect(ruleSetProblem({ ...absolute, weights: { events: 0 } })).toBe('"weights" must weigh at least one input more than 0');
    expect(ruleSetProblem(null)).toBe('the rule set is not a JSON object');
    expect(ruleSetProblem({ ...absolute, risk: 'area' })).toBe('"risk" must be an object {per, hazardWeight}');
    expect(ruleSetProblem({ ...absolute, risk: { per: 'households', hazardWeight: 1 } })).toContain('"risk.per" must be');
    expect(ruleSetProblem({ ...absolute, risk: { per: 'area', hazardWeight: -1 } })).toBe(
      '"risk.hazardWeight" must be a number from 0 to 1000',
    );
    expect(ruleSetProblem({ ...absolute, risk: { per: 'residents', hazardWeight: 0 } })).toBeNull();
    expect(ruleSetProblem({ ...absolute, halfLifeDays: 0 })).toBe(
      '"halfLifeDays" must be a number of days above 0 and up to 3650, or null for no decay',
    );
    expect(ruleSetProblem({ ...absolute, halfLifeDays: null })).toBeNull();
    expect(ruleSetProblem({ ...absolute, halfLifeDays: 30 })).toBeNull();
    expect(() => classifyCells([], { ...absolute, normalize: 'z' as never })).toThrow('"normalize" must be');
  });

  it('refuses values that would make every score infinite or a run unbounded (a weight of 1e308 made every cell A)', () => {
    expect(ruleSetProblem({ ...absolute, weights: { events: 1e308 } })).toBe('the weight of "events" must be a number from 0 to 1000');
    expect(ruleSetProblem({ ...absolute, weights: { events: 'abc' } })).toBe('the weight of "events" must be a number from 0 to 1000');
    expect(ruleSetProblem({ ...absolute, A: 1e300 })).toBe('"A" and "B" must be numbers from -1000000000 to 1000000000');
    expect(ruleSetProblem({ ...absolute, eventDays: 1e8 })).toBe('"eventDays" must be a whole number of days from 1 to 3650');
    expect(ruleSetProblem({ ...absolute, eventDays: 365 })).toBeNull();
    expect(ruleSetProblem({ ...absolute, name: 'x'.repeat(201) })).toBe('"name" must be at most 200 characters');
  });
});

describe('riskIndex', () => {
  it('adds weighted events and hazards, per 1,000 residents or per km², with the parts that make it', () => {
    const inputs = { eventsByCategory: { 占道经营: 6, 火灾隐患: 3 }, hazardSites: 2, residents: 500, areaKm2: 0.25 };
    const byResidents = riskIndex(inputs, { per: 'residents', hazardWeight: 2 });
    expect(byResidents.index).toBeCloseTo((6 + 3 + 4) / 0.5, 12);
    expect(byResidents.parts.map((p) => [p.label, p.value])).toEqual(
      [
        ['占道经营', 12],
        ['火灾隐患', 6],
        ['hazards', 8],
      ].sort((a, b) => (b[1] as number) - (a[1] as number)),
    );
    expect(riskIndex(inputs, { per: 'area', hazardWeight: 2 }).index).toBeCloseTo(13 / 0.25, 12);
    // A cell without residents counts as one resident, not as a division by zero.
    expect(riskIndex({ ...inputs, residents: 0 }, { per: 'residents', hazardWeight: 0 }).index).toBeCloseTo(9000, 9);
  });
});
