import { describe, expect, it } from 'vitest';
import { bootFraction } from '../../../src/data/embedded/boot-progress';

describe('bootFraction', () => {
  it('grows through the stages and with the bytes downloaded', () => {
    const check = bootFraction({ stage: 'check' });
    const half = bootFraction({ stage: 'download', loadedBytes: 50, totalBytes: 100 });
    const start = bootFraction({ stage: 'start' });
    const migrate = bootFraction({ stage: 'migrate' });
    expect(check).toBe(0);
    expect(half).toBeGreaterThan(check);
    expect(start).toBeGreaterThan(half);
    expect(migrate).toBeGreaterThan(start);
    expect(bootFraction({ stage: 'ready' })).toBe(1);
  });
});
