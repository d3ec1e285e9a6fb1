import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCellCode, makeCellCode, parseCellCode } from '../../../src/domain/cell-code';
import type { CommunityCode } from '../../../src/domain/ids';

describe('cell codes', () => {
  it('appends a zero-padded 3-digit sequence to the 12-digit community code', () => {
    expect(makeCellCode('430199001002' as CommunityCode, 7)).toBe('430199001002007');
  });

  it('refuses a community code that is not 12 digits', () => {
    expect(() => makeCellCode('43019900100' as CommunityCode, 1)).toThrow(/12 digits/);
  });

  it('refuses sequences outside 1..999', () => {
    expect(() => makeCellCode('430199001002' as CommunityCode, 0)).toThrow(/1 to 999/);
    expect(() => makeCellCode('430199001002' as CommunityCode, 1000)).toThrow(/1 to 999/);
  });

  it('explains why a string is not a cell code', () => {
    expect(checkCellCode('12345')).toEqual({ valid: false, reason: 'cell code must be 15 digits, got "12345"' });
    expect(checkCellCode('430199001002000')).toMatchObject({ valid: false });
    expect(checkCellCode('430199001002001')).toEqual({ valid: true, code: '430199001002001' });
  });

  it('round-trips: parse(make(community, n)) gives back the parts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12}$/), fc.integer({ min: 1, max: 999 }), (community, n) => {
        const parts = parseCellCode(makeCellCode(community as CommunityCode, n));
        expect(parts.community).toBe(community);
        expect(parts.sequence).toBe(n);
        expect(parts.street).toBe(community.slice(0, 9));
        expect(parts.district).toBe(community.slice(0, 6));
      }),
      { seed: 42 },
    );
  });
});
