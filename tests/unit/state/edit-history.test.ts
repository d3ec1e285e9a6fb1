import { describe, expect, it } from 'vitest';
import type { CellCode } from '../../../src/domain/ids';
import type { CellEditResult } from '../../../src/domain/records';
import { EMPTY_EDIT_HISTORY, editHistoryReducer, parseEditHistory } from '../../../src/state/edit-history';

const result = (editId: number, operation: CellEditResult['operation'], codes: string[]): CellEditResult => ({
  editId,
  operation,
  cells: codes.map((code) => ({ code: code as CellCode, version: 1 })),
  newCodes: [],
  retiredCodes: [],
});

describe('edit history', () => {
  it('undoes the latest edit by reverting it, redoes by reverting the undo, and keeps saying what the user did', () => {
    let h = editHistoryReducer(EMPTY_EDIT_HISTORY, { type: 'done', result: result(7, 'split', ['A1', 'A2']) });
    h = editHistoryReducer(h, { type: 'done', result: result(8, 'merge', ['B1']) });
    expect(h.undo.map((s) => s.revertId)).toEqual([7, 8]);

    h = editHistoryReducer(h, { type: 'undone', result: result(9, 'undo', ['B2', 'B3']) });
    expect(h.undo.map((s) => s.editId)).toEqual([7]);
    // Redo reverts the undo (#9), but the step is still "#8, the merge of B1".
    expect(h.redo).toEqual([{ revertId: 9, editId: 8, operation: 'merge', codes: ['B1'] }]);

    h = editHistoryReducer(h, { type: 'redone', result: result(10, 'redo', ['B1']) });
    expect(h.redo).toEqual([]);
    expect(h.undo.at(-1)).toEqual({ revertId: 10, editId: 8, operation: 'merge', codes: ['B1'] });
  });

  it('forgets what could be redone when a new edit is made, and drops a step the database refused', () => {
    let h = editHistoryReducer(EMPTY_EDIT_HISTORY, { type: 'done', result: result(1, 'draw', ['C1']) });
    h = editHistoryReducer(h, { type: 'undone', result: result(2, 'undo', []) });
    expect(h.redo).toHaveLength(1);
    h = editHistoryReducer(h, { type: 'done', result: result(3, 'reshape', ['C2']) });
    expect(h.redo).toEqual([]);
    h = editHistoryReducer(h, { type: 'dropped', stack: 'undo' });
    expect(h).toEqual(EMPTY_EDIT_HISTORY);
    // Nothing to undo or redo: unchanged.
    expect(editHistoryReducer(h, { type: 'undone', result: result(4, 'undo', []) })).toBe(h);
  });

  it('reads back what it stored, and nothing from what it did not', () => {
    const h = editHistoryReducer(EMPTY_EDIT_HISTORY, { type: 'done', result: result(5, 'split', ['D1']) });
    expect(parseEditHistory(JSON.stringify(h))).toEqual(h);
    for (const text of [null, '', '{', '[]', '{"undo":[{"revertId":"x"}],"redo":[]}', '{"undo":[]}'])
      expect(parseEditHistory(text)).toEqual(EMPTY_EDIT_HISTORY);
  });
});
