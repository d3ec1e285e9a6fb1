import { describe, expect, it } from 'vitest';
import type { MyCell } from '../../../src/domain/live';
import { cellsByUrgency, PATROL_DUE_DAYS, patrolDue } from '../../../src/state/worker-home';

const cell = (code: string, patch: Partial<MyCell> = {}): MyCell => ({
  code,
  name: code,
  class: 'B',
  communityName: null,
  bbox: [0, 0, 1, 1],
  lngLat: [0.5, 0.5],
  openCases: 0,
  overdue: 0,
  nextDeadline: null,
  eventsWeek: 0,
  lastEventAt: null,
  riskIndex: 0,
  lastPatrol: null,
  ...patch,
});
const patrolled = (endedAt: string | null, startedAt = '2026-12-01T08:00:00Z') => ({ startedAt, endedAt, workerName: '王芳' });

describe("the grid worker's cells by urgency", () => {
  it('puts overdue cases first, then open cases, then the longest unpatrolled (never first), then the code', () => {
    const cells = [
      cell('5', { lastPatrol: patrolled('2026-12-05T08:00:00Z') }),
      cell('4', { lastPatrol: patrolled('2026-11-01T08:00:00Z') }),
      cell('3'),
      cell('2', { openCases: 2 }),
      cell('1', { openCases: 1, overdue: 1 }),
      cell('0'),
    ];
    expect(cellsByUrgency(cells).map((c) => c.code)).toEqual(['1', '2', '0', '3', '4', '5']);
    // The list given is left as it was.
    expect(cells.map((c) => c.code)).toEqual(['5', '4', '3', '2', '1', '0']);
  });
});

describe('a patrol due', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  it('is due when never patrolled or last ended more than the days allowed ago; not while under way', () => {
    expect(patrolDue(cell('1'), now)).toBe(true);
    expect(patrolDue(cell('1', { lastPatrol: patrolled('2026-12-05T12:00:00Z') }), now)).toBe(false);
    const edge = new Date(now - PATROL_DUE_DAYS * 86_400_000).toISOString();
    expect(patrolDue(cell('1', { lastPatrol: patrolled(edge) }), now)).toBe(false);
    const older = new Date(now - PATROL_DUE_DAYS * 86_400_000 - 60_000).toISOString();
    expect(patrolDue(cell('1', { lastPatrol: patrolled(older) }), now)).toBe(true);
    expect(patrolDue(cell('1', { lastPatrol: patrolled(null, '2026-10-01T08:00:00Z') }), now)).toBe(false);
  });
});
