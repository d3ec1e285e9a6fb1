import type { MyCell } from '../domain/live';

/** A cell not patrolled for this many days is flagged on the grid worker's home screen. */
export const PATROL_DUE_DAYS = 7;

/**
 * Returns a grid worker's cells in the order their day goes: overdue cases first, then open
 * cases, then the longest since a patrol (never patrolled first), then by code.
 */
export function cellsByUrgency(cells: readonly MyCell[]): MyCell[] {
  const patrolled = (c: MyCell) => (c.lastPatrol ? Date.parse(c.lastPatrol.endedAt ?? c.lastPatrol.startedAt) : -Infinity);
  return [...cells].sort(
    (a, b) =>
      b.overdue - a.overdue || b.openCases - a.openCases || patrolled(a) - patrolled(b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** Whether a cell is due a patrol at `now`: never patrolled, or not within PATROL_DUE_DAYS. */
export function patrolDue(cell: Pick<MyCell, 'lastPatrol'>, now: number): boolean {
  const p = cell.lastPatrol;
  if (!p) return true;
  if (p.endedAt === null) return false;
  return now - Date.parse(p.endedAt) > PATROL_DUE_DAYS * 86_400_000;
}
