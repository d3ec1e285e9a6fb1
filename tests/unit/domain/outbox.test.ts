import { describe, expect, it } from 'vitest';
import { itemsToSend, type OutboxItem, outboxOf, sendFailure } from '../../../src/domain/outbox';

const item = (id: string, createdAt: string, over: Partial<OutboxItem> = {}): OutboxItem =>
  ({
    id,
    createdAt,
    userId: 'w',
    attempts: 1,
    state: 'waiting',
    refusal: null,
    kind: 'step',
    caseId: 'c',
    caseCode: 'AJ00000001',
    action: 'verify',
    options: { note: '', departmentId: null, expectedVersion: 1, photos: [], key: id },
    ...over,
  }) as OutboxItem;

describe('the outbox', () => {
  it('sends the waiting items of the member, oldest first (ties by key), and leaves refused ones and other members’ items', () => {
    const items = [
      item('b', '2026-12-06T10:00:00Z'),
      item('c', '2026-12-06T09:00:00Z', { userId: 'x' }),
      item('a', '2026-12-06T10:00:00Z'),
      item('d', '2026-12-06T08:00:00Z', { state: 'refused', refusal: 'no' }),
      item('e', '2026-12-06T07:00:00Z'),
    ];
    expect(itemsToSend(items, 'w').map((i) => i.id)).toEqual(['e', 'a', 'b']);
    expect(outboxOf(items, 'w').map((i) => i.id)).toEqual(['e', 'd', 'a', 'b']);
    expect(itemsToSend(items, null)).toEqual([]);
  });

  it('waits for the network on "unavailable" only; anything else is a refusal the member reads', () => {
    expect(sendFailure('unavailable')).toBe('retry');
    for (const code of ['invalid', 'forbidden', 'conflict', 'not_found', 'unknown', undefined]) expect(sendFailure(code)).toBe('refused');
  });
});
