import { describe, expect, it } from 'vitest';
import { decayedWeight, type EventFilter, eventsOverTime, eventWeights } from '../../../src/domain/event-weights';
import { colorizeHeat, HEAT_BREAKS, heatClass } from '../../../src/state/palettes';

const DAY = 86_400_000;

describe('eventWeights', () => {
  const time = [0, 2 * DAY, 9 * DAY, 10 * DAY, 5 * DAY];
  const severity = [1, 4, 2, 3, 1];
  const category = ['占道经营', '火灾隐患', '占道经营', '占道经营', '噪声扰民'];
  const base: EventFilter = { from: DAY, to: 10 * DAY, categories: null, minSeverity: 1, weightBy: 'count', halfLifeDays: null };

  it('counts events inside [from, to) only', () => {
    expect(Array.from(eventWeights(time, severity, category, base))).toEqual([0, 1, 1, 0, 1]);
  });

  it('weights by severity, filters by category and severity, and halves weights every half-life before the end', () => {
    expect(Array.from(eventWeights(time, severity, category, { ...base, weightBy: 'severity' }))).toEqual([0, 4, 2, 0, 1]);
    expect(Array.from(eventWeights(time, severity, category, { ...base, categories: ['占道经营'] }))).toEqual([0, 0, 1, 0, 0]);
    expect(Array.from(eventWeights(time, severity, category, { ...base, minSeverity: 2 }))).toEqual([0, 1, 1, 0, 0]);
    const decayed = eventWeights(time, severity, category, { ...base, halfLifeDays: 4 });
    expect(decayed[1]).toBeCloseTo(0.25, 12); // 8 days before the end: two half-lives
    expect(decayed[2]).toBeCloseTo(0.5 ** 0.25, 12);
  });

  it('filters by source when the events carry one', () => {
    const source = ['hotline', 'camera', 'hotline', 'citizen', 'camera'];
    expect(Array.from(eventWeights(time, severity, category, { ...base, sources: ['camera'] }, source))).toEqual([0, 1, 0, 0, 1]);
    // Without sources on the events, the source filter cannot apply and counts them all.
    expect(Array.from(eventWeights(time, severity, category, { ...base, sources: ['camera'] }))).toEqual([0, 1, 1, 0, 1]);
  });

  it('counts events per day for a chart', () => {
    expect(eventsOverTime(time, 0, 11 * DAY, DAY)).toEqual([1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1]);
    expect(eventsOverTime(time, 0, 11 * DAY, 5 * DAY, (i) => severity[i] === 1)).toEqual([1, 1, 0]);
  });
});

describe('heat scale', () => {
  it('is fixed in density units: a value has one colour, below the first break none', () => {
    expect(heatClass(HEAT_BREAKS[0] - 0.001)).toBe(-1);
    expect(heatClass(HEAT_BREAKS[0])).toBe(0);
    expect(heatClass(75)).toBe(HEAT_BREAKS.indexOf(50));
    expect(heatClass(1e9)).toBe(HEAT_BREAKS.length - 1);
    const rgba = colorizeHeat([0, 75, 75, 1e9]);
    expect(Array.from(rgba.slice(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(rgba.slice(4, 8))).toEqual(Array.from(rgba.slice(8, 12)));
    expect(rgba[7]).toBeGreaterThan(0);
  });
});

describe('decayedWeight', () => {
  const day = 86_400_000;
  it('halves a weight every half-life and gives future events no weight', () => {
    expect(decayedWeight(3, 0, 14 * day, 7)).toBeCloseTo(0.75, 12);
    expect(decayedWeight(3, 0, 14 * day, null)).toBe(3);
    expect(decayedWeight(3, 15 * day, 14 * day, 7)).toBe(0);
  });
});
