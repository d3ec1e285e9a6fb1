import { describe, expect, it } from 'vitest';
import { householdsOf, type PlateResident, plateCodeOf, plateUrl } from '../../../src/domain/plates';

describe('plateUrl and plateCodeOf', () => {
  it('puts only the plate code on the app address, dropping whatever query or hash it had', () => {
    expect(plateUrl('https://grid.example.cn/app/?wall&x=1#top', 'A1B2C3D4E5F6')).toBe('https://grid.example.cn/app/?plate=A1B2C3D4E5F6');
  });

  it('reads the code back, in upper case, and refuses a malformed one', () => {
    expect(plateCodeOf('https://grid.example.cn/app/?plate=a1b2c3d4e5f6')).toBe('A1B2C3D4E5F6');
    expect(plateCodeOf(plateUrl('http://127.0.0.1:4173/', '00FF00FF00FF'))).toBe('00FF00FF00FF');
    expect(plateCodeOf('https://grid.example.cn/app/?plate=湘麓区')).toBeNull();
    expect(plateCodeOf('https://grid.example.cn/app/?plate=A1B2')).toBeNull();
    expect(plateCodeOf('https://grid.example.cn/app/')).toBeNull();
    expect(plateCodeOf('not a url')).toBeNull();
  });
});

describe('householdsOf', () => {
  const person = (id: string, room: string | undefined, householdId?: string): PlateResident => ({
    id,
    name: id,
    category: '户籍人口',
    keyPerson: false,
    ...(room === undefined ? {} : { room }),
    ...(householdId === undefined ? {} : { householdId }),
  });

  it('groups by household, rooms in natural order (10室 after 9室)', () => {
    const groups = householdsOf([person('a', '1单元10室', 'H2'), person('b', '1单元9室', 'H1'), person('c', '1单元10室', 'H2')]);
    expect(groups.map((g) => [g.room, g.people.map((p) => p.id)])).toEqual([
      ['1单元9室', ['b']],
      ['1单元10室', ['a', 'c']],
    ]);
  });

  it('groups masked residents (no room) by household id, and a resident without either alone', () => {
    const groups = householdsOf([person('a', undefined, 'H1'), person('b', undefined, 'H1'), person('c', undefined)]);
    expect(groups.map((g) => g.people.length).sort()).toEqual([1, 2]);
  });
});
