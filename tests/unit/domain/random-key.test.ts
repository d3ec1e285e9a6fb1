import { describe, expect, it } from 'vitest';
import { randomKey } from '../../../src/domain/random-key';

describe('a random key', () => {
  it('is a version 4 UUID, a new one each time', () => {
    const keys = Array.from({ length: 1000 }, randomKey);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
