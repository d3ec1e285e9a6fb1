import { useEffect, useState } from 'react';
import type { Session } from '../data/backend';
import { type EditHistory, type EditHistoryAction, EMPTY_EDIT_HISTORY, editHistoryReducer, parseEditHistory } from '../state/edit-history';

const KEY = 'gridatlas.editHistory';

/**
 * The acting user's undo and redo of grid edits, kept with the session: closing the editing
 * panel keeps them, a reload of the tab keeps them (sessionStorage), another user has their own.
 */
export function useEditHistory(session: Session | null): [EditHistory, (action: EditHistoryAction) => void] {
  const key = session?.userId ? `${KEY}.${session.userId}` : null;
  const [state, setState] = useState<{ key: string | null; history: EditHistory }>({ key: null, history: EMPTY_EDIT_HISTORY });
  // Another user (or the first session known): their own history, as this tab kept it.
  let current = state;
  if (state.key !== key) {
    current = { key, history: key ? parseEditHistory(read(key)) : EMPTY_EDIT_HISTORY };
    setState(current);
  }
  useEffect(() => {
    if (!state.key) return;
    try {
      sessionStorage.setItem(state.key, JSON.stringify(state.history));
    } catch {
      // Storage may be refused (private mode): the history still holds for this page.
    }
  }, [state]);
  const dispatch = (action: EditHistoryAction) =>
    setState((s) => (s.key === key ? { key, history: editHistoryReducer(s.history, action) } : s));
  return [current.history, dispatch];
}

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}
