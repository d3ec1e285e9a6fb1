import { describe, expect, it } from 'vitest';
import { BackendError } from '../../../src/data/backend';
import { toBackendError, toPointColumns } from '../../../src/data/rows';
import { migrationsFromFiles } from '../../../src/data/sql-client';

describe('toPointColumns', () => {
  it('turns JSON arrays into typed arrays and keeps event times', () => {
    const c = toPointColumns({
      kind: 'event',
      ids: ['a', 'b'],
      lng: [1, 2],
      lat: [3, 4],
      category: ['x', 'y'],
      severity: [1, 4],
      time: [10, 20],
    });
    expect(c.lng).toEqual(Float64Array.from([1, 2]));
    expect(c.severity).toEqual(Uint8Array.from([1, 4]));
    expect(c.time).toEqual(Float64Array.from([10, 20]));
  });

  it('has no times for entities', () => {
    expect(toPointColumns({ kind: 'thing', ids: [], lng: [], lat: [], category: [], severity: [] }).time).toBeUndefined();
  });
});

describe('toBackendError', () => {
  it('maps SQLSTATE codes to error codes the UI understands', () => {
    expect(toBackendError({ code: '42501', message: 'permission denied' })).toMatchObject({
      code: 'forbidden',
      message: 'permission denied',
    });
    expect(toBackendError({ code: '23514', message: 'check' }).code).toBe('invalid');
    expect(toBackendError({ code: '23505', message: 'dup' }).code).toBe('conflict');
    expect(toBackendError({ code: '40001', message: 'serialization' }).code).toBe('conflict');
    expect(toBackendError({ code: '40P01', message: 'deadlock detected' }).code).toBe('conflict');
    expect(toBackendError(new Error('boom')).code).toBe('unknown');
  });

  it('passes a BackendError through unchanged', () => {
    const e = new BackendError('not_found', 'gone');
    expect(toBackendError(e)).toBe(e);
  });
});

describe('migrationsFromFiles', () => {
  it('sorts by the timestamp prefix', () => {
    const m = migrationsFromFiles({ 'x/20260102000000_b.sql': 'b', 'x/20260101000000_a.sql': 'a' });
    expect(m.map((x) => x.name)).toEqual(['a', 'b']);
  });

  it('names a misnamed file', () => {
    expect(() => migrationsFromFiles({ 'schema.sql': '' })).toThrow(
      'migration file "schema.sql" is not named <14-digit timestamp>_<name>.sql',
    );
  });
});
