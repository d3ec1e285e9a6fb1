import { describe, expect, it } from 'vitest';
import type { PointColumns } from '../../../src/domain/records';
import { interleavePositions, pointColors } from '../../../src/map/layers/point-style';
import { type LabelFeature, renderModel } from '../../../src/map/render-model';
import { SEVERITY_COLORS } from '../../../src/state/palettes';
import { initialUiState, uiReducer } from '../../../src/state/ui-state';

const columns = (kind: PointColumns['kind'], n: number): PointColumns => ({
  kind,
  ids: Array.from({ length: n }, (_, i) => `${kind}${i}`),
  lng: Float64Array.from({ length: n }, (_, i) => 112 + i),
  lat: Float64Array.from({ length: n }, (_, i) => 28 + i),
  category: Array.from({ length: n }, () => 'c'),
  severity: Uint8Array.from({ length: n }, (_, i) => (i % 4) + 1),
});

const label = (name: string, rank: LabelFeature['properties']['rank']): LabelFeature => ({
  type: 'Feature',
  properties: { name, rank },
  geometry: { type: 'Point', coordinates: [112.9, 28.2] },
});

describe('renderModel', () => {
  it('mutes the cells while the risk heatmap is on', () => {
    expect(renderModel(initialUiState, { points: {}, labels: [] }, 12).cells.muted).toBe(false);
    const heat = uiReducer(initialUiState, { type: 'set-layer', layer: 'heat', visible: true });
    expect(renderModel(heat, { points: {}, labels: [] }, 12).cells.muted).toBe(true);
  });

  it('draws only switched-on point layers that have data, events on top', () => {
    const state = uiReducer(initialUiState, { type: 'set-layer', layer: 'person', visible: true });
    const model = renderModel(
      state,
      { points: { event: columns('event', 3), person: columns('person', 2), thing: columns('thing', 1) }, labels: [] },
      12,
    );
    expect(model.points.map((p) => p.kind)).toEqual(['person', 'event']);
  });

  it('shows street labels zoomed out and community labels zoomed in', () => {
    const data = { points: {}, labels: [label('岳麓街道', 'street'), label('桃花社区', 'community')] };
    expect(renderModel(initialUiState, data, 11).labels.map((l) => l.text)).toEqual(['岳麓街道']);
    expect(renderModel(initialUiState, data, 14).labels.map((l) => l.text)).toEqual(['桃花社区']);
    const off = uiReducer(initialUiState, { type: 'toggle-layer', layer: 'labels' });
    expect(renderModel(off, data, 14).labels).toEqual([]);
  });

  it('passes the selected cell to the cell layer', () => {
    const state = uiReducer(initialUiState, { type: 'select', selection: { type: 'cell', code: '430199001001001' as never } });
    expect(renderModel(state, { points: {}, labels: [] }, 12).cells.selectedCodes).toEqual(['430199001001001']);
  });

  it('while editing, draws the picked cells as selected, shift-click adding and removing', () => {
    let state = uiReducer(initialUiState, { type: 'toggle-editing' });
    state = uiReducer(state, { type: 'edit-pick', code: 'a' as never, additive: false });
    state = uiReducer(state, { type: 'edit-pick', code: 'b' as never, additive: true });
    expect(renderModel(state, { points: {}, labels: [] }, 12).cells.selectedCodes).toEqual(['a', 'b']);
    state = uiReducer(state, { type: 'edit-pick', code: 'a' as never, additive: true });
    expect(state.editCodes).toEqual(['b']);
    state = uiReducer(state, { type: 'edit-pick', code: 'c' as never, additive: false });
    expect(state.editCodes).toEqual(['c']);
    expect(uiReducer(state, { type: 'toggle-editing' }).editCodes).toEqual([]);
  });
});

describe('point styles', () => {
  it('interleaves positions as lng, lat pairs', () => {
    expect([...interleavePositions(columns('thing', 2))]).toEqual([112, 28, 113, 29]);
  });

  it('colours events by severity', () => {
    const colors = pointColors(columns('event', 4));
    expect([...colors.slice(12, 16)]).toEqual(SEVERITY_COLORS[4]);
    expect([...colors.slice(0, 4)]).toEqual(SEVERITY_COLORS[1]);
  });
});
