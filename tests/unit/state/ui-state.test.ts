import { describe, expect, it } from 'vitest';
import type { CellCode } from '../../../src/domain/ids';
import { initialUiState, uiReducer } from '../../../src/state/ui-state';

describe('uiReducer', () => {
  it('toggles a layer without touching the others', () => {
    const next = uiReducer(initialUiState, { type: 'toggle-layer', layer: 'person' });
    expect(next.layers.person).toBe(!initialUiState.layers.person);
    expect(next.layers.cells).toBe(initialUiState.layers.cells);
    expect(initialUiState.layers.person).toBe(false);
  });

  it('returns the same state when a layer is already as asked', () => {
    expect(uiReducer(initialUiState, { type: 'set-layer', layer: 'cells', visible: true })).toBe(initialUiState);
  });

  it('selects and clears', () => {
    const selected = uiReducer(initialUiState, { type: 'select', selection: { type: 'cell', code: '430199001001001' as CellCode } });
    expect(selected.selection).toEqual({ type: 'cell', code: '430199001001001' });
    expect(uiReducer(selected, { type: 'select', selection: null }).selection).toBeNull();
  });
});
