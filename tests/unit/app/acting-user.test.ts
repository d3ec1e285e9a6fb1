import { describe, expect, it } from 'vitest';
import { ACTING_AS_KEY, actingUser } from '../../../src/app/acting-user';
import { DEMO_MEMBERS } from '../../../src/data/demo-members';

const admin = DEMO_MEMBERS.find((m) => m.role === 'admin')?.userId;
const worker = DEMO_MEMBERS.find((m) => m.role === 'worker')?.userId;
const storageWith = (value: string | null) => ({ getItem: (key: string) => (key === ACTING_AS_KEY ? value : null) });

describe('actingUser', () => {
  it('is the demo member remembered', () => {
    expect(actingUser(storageWith(worker ?? null))).toBe(worker);
  });

  it('falls back to the administrator on a missing, empty or stale value', () => {
    expect(actingUser(storageWith(null))).toBe(admin);
    expect(actingUser(storageWith(''))).toBe(admin);
    expect(actingUser(storageWith('not-a-member'))).toBe(admin);
    expect(actingUser(storageWith('00000000-0000-4000-8000-000000000099'))).toBe(admin);
  });

  it('falls back to the administrator when storage is refused or absent', () => {
    const refusing = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(actingUser(refusing)).toBe(admin);
    expect(actingUser(null)).toBe(admin);
  });
});
