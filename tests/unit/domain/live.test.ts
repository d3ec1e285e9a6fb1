import { describe, expect, it } from 'vitest';
import { type LiveFeedItem, newFeedItems } from '../../../src/domain/live';

const item = (kind: LiveFeedItem['kind'], id: string, at: string): LiveFeedItem => ({
  kind,
  id,
  at,
  category: '治安',
  severity: 2,
  cellCode: null,
  caseId: null,
  caseCode: null,
  action: null,
  state: 'reported',
  lngLat: [112.9, 28.2],
});

describe('newFeedItems', () => {
  const a = item('event', '1', '2026-12-06T08:00:00Z');
  const b = item('case', '1', '2026-12-06T08:01:00Z');
  it('finds nothing new on the first load', () => {
    expect(newFeedItems(null, [b, a])).toEqual([]);
  });
  it('tells items by kind and id: an event and a trace row of the same id are different', () => {
    const c = item('case', '2', '2026-12-06T08:02:00Z');
    expect(newFeedItems([a], [c, b, a])).toEqual([c, b]);
  });
  it('does not count as new an old item that only came up because the feed grew', () => {
    const old = item('whistle', '9', '2026-12-06T07:00:00Z');
    expect(newFeedItems([b, a], [b, a, old])).toEqual([]);
  });
});
