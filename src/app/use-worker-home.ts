import { useEffect, useState } from 'react';
import type { Backend, Session } from '../data/backend';
import { type CaseList, OPEN_CASE_STATES } from '../domain/cases';
import type { MyCell } from '../domain/live';

/** The open cases the home screen lists, nearest deadline first. */
export const HOME_CASES = 20;

export interface WorkerHomeState {
  cells: MyCell[] | null;
  cases: CaseList | null;
  /** When it was last loaded (ms since the epoch), or null. */
  updatedAt: number | null;
  error: unknown;
}

/**
 * The grid worker's home screen while `open`: their own cells with their figures (my_cells) and
 * their open cases, nearest deadline first; loaded again whenever `version` moves (a change
 * committed anywhere, a patrol started or ended here).
 */
export function useWorkerHome(backend: Backend | null, session: Session | null, open: boolean, version: number): WorkerHomeState {
  const [state, setState] = useState<WorkerHomeState>({ cells: null, cases: null, updatedAt: null, error: null });
  const user = session?.userId ?? null;
  // A new user starts from nothing: no one sees the cells of the member before them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: cleared when the user changes
  useEffect(() => {
    setState({ cells: null, cases: null, updatedAt: null, error: null });
  }, [backend, user]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is a request to load again
  useEffect(() => {
    if (!backend || !open || !user) return;
    let live = true;
    Promise.all([backend.getMyCells(), backend.listCases({ states: [...OPEN_CASE_STATES], sort: 'deadline' }, HOME_CASES, 0)]).then(
      ([cells, cases]) => live && setState({ cells, cases, updatedAt: Date.now(), error: null }),
      (error: unknown) => live && setState((s) => ({ ...s, error })),
    );
    return () => {
      live = false;
    };
  }, [backend, user, open, version]);
  return state;
}
