import { describe, expect, it } from 'vitest';
import { periodOf } from '../../src/domain/periods';

const day = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;

describe('periods of a ranking', () => {
  it('gives half-open months, quarters and years, across the turn of the year', () => {
    const now = new Date(2026, 0, 15, 10);
    expect([periodOf('month', now)].map((p) => [day(p.from), day(p.to)])).toEqual([['2026-1-1', '2026-2-1']]);
    expect([periodOf('lastMonth', now)].map((p) => [day(p.from), day(p.to)])).toEqual([['2025-12-1', '2026-1-1']]);
    expect([periodOf('quarter', now)].map((p) => [day(p.from), day(p.to)])).toEqual([['2025-11-1', '2026-2-1']]);
    expect([periodOf('year', new Date(2026, 11, 31, 23))].map((p) => [day(p.from), day(p.to)])).toEqual([['2026-1-1', '2027-1-1']]);
  });
});
