import type { CellCode } from '../domain/ids';
import type { CellEditOperation, CellEditResult } from '../domain/records';

/**
 * A step of the user's own grid edits that undo (or redo) would revert: the edit to revert now
 * (`revertId`), and what the user did, as they know it (the first edit's number, operation and
 * the cells it wrote), which stays the same however often it is undone and redone.
 */
export interface EditStep {
  revertId: number;
  editId: number;
  operation: CellEditOperation;
  codes: CellCode[];
}

/** The user's undo and redo stacks, newest last. Kept with the session, not with a panel. */
export interface EditHistory {
  undo: EditStep[];
  redo: EditStep[];
}

export const EMPTY_EDIT_HISTORY: EditHistory = { undo: [], redo: [] };

export type EditHistoryAction =
  /** An edit the user made: it can be undone; what could be redone can no longer. */
  | { type: 'done'; result: CellEditResult }
  /** The top undo step was reverted by `result`: it can be redone (by reverting that). */
  | { type: 'undone'; result: CellEditResult }
  /** The top redo step was reverted by `result`: it can be undone again. */
  | { type: 'redone'; result: CellEditResult }
  /** The database refused to revert the top step of a stack (others changed those cells): it goes. */
  | { type: 'dropped'; stack: 'undo' | 'redo' };

/** Returns the history after `action`. */
export function editHistoryReducer(history: EditHistory, action: EditHistoryAction): EditHistory {
  switch (action.type) {
    case 'done': {
      const { editId, operation, cells } = action.result;
      return { undo: [...history.undo, { revertId: editId, editId, operation, codes: cells.map((c) => c.code) }], redo: [] };
    }
    case 'undone': {
      const step = history.undo.at(-1);
      if (!step) return history;
      return { undo: history.undo.slice(0, -1), redo: [...history.redo, { ...step, revertId: action.result.editId }] };
    }
    case 'redone': {
      const step = history.redo.at(-1);
      if (!step) return history;
      return { undo: [...history.undo, { ...step, revertId: action.result.editId }], redo: history.redo.slice(0, -1) };
    }
    case 'dropped':
      return { ...history, [action.stack]: history[action.stack].slice(0, -1) };
  }
}

/** Returns a history read back from storage, or the empty one when it is not one. */
export function parseEditHistory(text: string | null): EditHistory {
  try {
    const value = JSON.parse(text ?? 'null') as Partial<EditHistory> | null;
    const steps = (list: unknown): list is EditStep[] =>
      Array.isArray(list) &&
      list.every(
        (s: Partial<EditStep>) =>
          Number.isInteger(s?.revertId) && Number.isInteger(s?.editId) && typeof s?.operation === 'string' && Array.isArray(s?.codes),
      );
    return value && steps(value.undo) && steps(value.redo) ? { undo: value.undo, redo: value.redo } : EMPTY_EDIT_HISTORY;
  } catch {
    return EMPTY_EDIT_HISTORY;
  }
}
