import { describe, expect, it } from 'vitest';
import { generateDistrict, percentileRanks } from '../../../src/demo/generate-district';
import { idCardCheckDigit } from '../../../src/domain/id-card';

describe('generateDistrict', () => {
  const demo = generateDistrict({ seed: 1 });

  it('builds the district of the brief: 8 streets, 40 communities, about 580 cells', () => {
    expect(demo.streets.features).toHaveLength(8);
    expect(demo.communities.features).toHaveLength(40);
    expect(demo.cells.features.length).toBeGreaterThan(540);
    expect(demo.cells.features.length).toBeLessThan(620);
  });

  it('has the counts of the brief at scale 1', () => {
    expect(demo.people).toHaveLength(30_000);
    expect(demo.places).toHaveLength(5_000);
    expect(demo.things).toHaveLength(1_000);
    expect(demo.organisations).toHaveLength(1_500);
    expect(demo.events).toHaveLength(20_000);
    expect(demo.gazetteer.length).toBeGreaterThan(1_000);
  });

  it('is about 10 km × 8 km', () => {
    const coords = demo.district.features[0]?.geometry.coordinates.flat(2) ?? [];
    const lngs = coords.map((c) => c[0] as number);
    const lats = coords.map((c) => c[1] as number);
    const widthKm = ((Math.max(...lngs) - Math.min(...lngs)) * 111.32 * Math.cos((28.2 * Math.PI) / 180)) as number;
    const heightKm = (Math.max(...lats) - Math.min(...lats)) * 110.57;
    expect(widthKm).toBeGreaterThan(9);
    expect(widthKm).toBeLessThan(11.5);
    expect(heightKm).toBeGreaterThan(7);
    expect(heightKm).toBeLessThan(9.5);
  });

  it('is the same for the same seed and different for another', () => {
    const again = generateDistrict({ seed: 1 });
    expect(JSON.stringify(again.cells)).toBe(JSON.stringify(demo.cells));
    expect(again.events.slice(0, 50)).toEqual(demo.events.slice(0, 50));
    const other = generateDistrict({ seed: 2 });
    expect(JSON.stringify(other.cells)).not.toBe(JSON.stringify(demo.cells));
  });

  it('gives every cell a unique 15-digit code inside its community, numbered from 001', () => {
    const codes = demo.cells.features.map((f) => f.properties.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const f of demo.cells.features) {
      expect(f.properties.code).toMatch(/^430199\d{9}$/);
      expect(f.properties.code.slice(0, 12)).toBe(f.properties.community_code);
    }
    const firsts = demo.communities.features.map((c) => codes.includes(`${c.properties.code}001`));
    expect(firsts.every(Boolean)).toBe(true);
  });

  it('classes cells A, B and C with A the rarest', () => {
    const count = (c: string) => demo.cells.features.filter((f) => f.properties.class === c).length;
    expect(count('A')).toBeGreaterThan(0);
    expect(count('A')).toBeLessThan(count('B'));
    expect(count('B')).toBeLessThan(count('C'));
  });

  it('writes valid ID card numbers and ISO 8601 times within 180 days', () => {
    for (const p of demo.people.slice(0, 500)) {
      expect(p.id_card_number).toMatch(/^\d{17}[\dX]$/);
      expect(idCardCheckDigit(p.id_card_number.slice(0, 17))).toBe(p.id_card_number[17]);
    }
    const times = demo.events.map((e) => Date.parse(e.occurred_at));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(180 * 86_400_000);
    expect(demo.events[0]?.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  });

  it('has structure: a few categories dominate and noise complaints peak at night', () => {
    const byCategory = new Map<string, number>();
    for (const e of demo.events) byCategory.set(e.category, (byCategory.get(e.category) ?? 0) + 1);
    const sorted = [...byCategory.values()].sort((a, b) => b - a);
    expect(((sorted[0] ?? 0) + (sorted[1] ?? 0) + (sorted[2] ?? 0)) / demo.events.length).toBeGreaterThan(0.4);
    const noise = demo.events.filter((e) => e.category === '噪音扰民');
    const hour = (e: { occurred_at: string }) => Number(e.occurred_at.slice(11, 13));
    const night = noise.filter((e) => hour(e) >= 21 || hour(e) < 2).length;
    const morning = noise.filter((e) => hour(e) >= 6 && hour(e) < 11).length;
    expect(night).toBeGreaterThan(morning * 3);
  });

  it('scales entity and event counts', () => {
    const small = generateDistrict({ seed: 1, scale: 0.1 });
    expect(small.people).toHaveLength(3_000);
    expect(small.events).toHaveLength(2_000);
    expect(small.cells.features.length).toBe(demo.cells.features.length);
  });

  it('refuses a bad seed or scale', () => {
    expect(() => generateDistrict({ seed: 1.5 })).toThrow(/seed/);
    expect(() => generateDistrict({ scale: 0 })).toThrow(/scale/);
  });
});

describe('idCardCheckDigit', () => {
  it('matches the GB 11643 example', () => {
    // Example from GB 11643-1999: 11010519491231002X.
    expect(idCardCheckDigit('11010519491231002')).toBe('X');
  });
});

describe('percentileRanks', () => {
  it('ranks from 0 to 1 and gives ties the same rank', () => {
    expect(percentileRanks([10, 20, 20, 30])).toEqual([0, 0.5, 0.5, 1]);
  });
});

describe('generateDistrict with more cells', () => {
  it('tiles the same district into about 5,000 cells for benchmarks', () => {
    const big = generateDistrict({ seed: 1, scale: 0.01, targetCells: 5_000 });
    expect(big.cells.features.length).toBeGreaterThan(4_000);
    expect(big.cells.features.length).toBeLessThan(6_000);
    expect(() => generateDistrict({ targetCells: 10 })).toThrow(/targetCells/);
  });
});
