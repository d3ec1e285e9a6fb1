import { describe, expect, it } from 'vitest';
import type { PointColumns } from '../../../src/domain/records';
import { interleavePositions, pointColors } from '../../../src/map/layers/point-style';
import { type LabelFeature, type MapData, renderModel } from '../../../src/map/render-model';
import { caseStateGroup, SEVERITY_COLORS } from '../../../src/state/palettes';
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

const NO_SHAPES = { cells: null, communities: null, hotspots: null, isobands: null, overlay: null };
const data = (over: Partial<MapData> = {}): MapData => ({ points: {}, labels: [], shapes: NO_SHAPES, vertexRings: [], ...over });

describe('renderModel', () => {
  it('mutes the cells while the risk heatmap is on', () => {
    expect(renderModel(initialUiState, data(), 12).cells.muted).toBe(false);
    const heat = uiReducer(initialUiState, { type: 'set-layer', layer: 'heat', visible: true });
    expect(renderModel(heat, data(), 12).cells.muted).toBe(true);
  });

  it('draws only switched-on point layers that have data, events on top', () => {
    const state = uiReducer(initialUiState, { type: 'set-layer', layer: 'person', visible: true });
    const model = renderModel(
      state,
      data({ points: { event: columns('event', 3), person: columns('person', 2), thing: columns('thing', 1) } }),
      12,
    );
    expect(model.points.map((p) => p.kind)).toEqual(['person', 'event']);
  });

  it('shows street labels zoomed out and community labels zoomed in', () => {
    const labelled = data({ labels: [label('岳麓街道', 'street'), label('桃花社区', 'community')] });
    expect(renderModel(initialUiState, labelled, 11).labels.map((l) => l.text)).toEqual(['岳麓街道']);
    expect(renderModel(initialUiState, labelled, 14).labels.map((l) => l.text)).toEqual(['桃花社区']);
    const off = uiReducer(initialUiState, { type: 'toggle-layer', layer: 'labels' });
    expect(renderModel(off, labelled, 14).labels).toEqual([]);
  });

  it('draws the cases only while their layer is on and loaded, the selected case marked', () => {
    const cases = {
      ids: ['a', 'b'],
      lng: [112.9, 112.91],
      lat: [28.2, 28.21],
      states: ['reported', 'closed'] as never[],
      overdue: [true, false],
    };
    expect(renderModel(initialUiState, data({ cases }), 12).cases).toBeNull();
    let state = uiReducer(initialUiState, { type: 'set-layer', layer: 'cases', visible: true });
    expect(renderModel(state, data({ cases: null }), 12).cases).toBeNull();
    state = uiReducer(state, { type: 'select', selection: { type: 'case', id: 'b' } });
    const model = renderModel(state, data({ cases }), 16);
    expect(model.cases).toMatchObject({ selectedId: 'b', radiusPixels: 8 });
    expect(model.cells.selectedCodes).toEqual([]);
  });

  it('groups case states for the map: waiting, with a department, to verify, closed, rejected', () => {
    expect(
      ['reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered', 'closed', 'evaluated', 'rejected'].map(
        caseStateGroup,
      ),
    ).toEqual(['todo', 'todo', 'todo', 'handling', 'handling', 'answered', 'done', 'done', 'rejected']);
  });

  it('passes the selected cell to the cell layer', () => {
    const state = uiReducer(initialUiState, { type: 'select', selection: { type: 'cell', code: '430199001001001' as never } });
    expect(renderModel(state, data(), 12).cells.selectedCodes).toEqual(['430199001001001']);
  });

  it('while editing, draws the picked cells as selected, shift-click adding and removing', () => {
    let state = uiReducer(initialUiState, { type: 'toggle-editing' });
    state = uiReducer(state, { type: 'edit-pick', code: 'a' as never, additive: false });
    state = uiReducer(state, { type: 'edit-pick', code: 'b' as never, additive: true });
    expect(renderModel(state, data(), 12).cells.selectedCodes).toEqual(['a', 'b']);
    state = uiReducer(state, { type: 'edit-pick', code: 'a' as never, additive: true });
    expect(state.editCodes).toEqual(['b']);
    state = uiReducer(state, { type: 'edit-pick', code: 'c' as never, additive: false });
    expect(state.editCodes).toEqual(['c']);
    expect(uiReducer(state, { type: 'toggle-editing' }).editCodes).toEqual([]);
  });

  it('draws the cells picked on the map with the selected one, and the edit picks alone while editing', () => {
    let state = uiReducer(initialUiState, { type: 'pick-toggle', code: 'a' as never });
    state = uiReducer(state, { type: 'pick-toggle', code: 'b' as never });
    state = uiReducer(state, { type: 'select', selection: { type: 'cell', code: 'c' as never } });
    expect(renderModel(state, data(), 12).cells.selectedCodes).toEqual(['a', 'b', 'c']);
    // The selected cell among the picked is drawn once.
    state = uiReducer(state, { type: 'select', selection: { type: 'cell', code: 'b' as never } });
    expect(renderModel(state, data(), 12).cells.selectedCodes).toEqual(['a', 'b']);
    // A second shift-click lets a cell go; a set from the comparison replaces the picks, once each.
    state = uiReducer(state, { type: 'pick-toggle', code: 'a' as never });
    expect(state.picked).toEqual(['b']);
    state = uiReducer(state, { type: 'pick-set', codes: ['d', 'e', 'd'] as never[] });
    expect(state.picked).toEqual(['d', 'e']);
    // Editing draws its own picks; the set waits until editing ends.
    state = uiReducer(state, { type: 'toggle-editing' });
    expect(renderModel(state, data(), 12).cells.selectedCodes).toEqual([]);
    state = uiReducer(state, { type: 'toggle-editing' });
    expect(renderModel(state, data(), 12).cells.selectedCodes).toEqual(['d', 'e']);
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

  it('carries the shapes as given (the map sends only a changed object) and handles only while editing', () => {
    const shapes = { ...NO_SHAPES, overlay: { type: 'FeatureCollection' as const, features: [] } };
    const rings = [[[112.9, 28.2] as [number, number], [112.91, 28.2] as [number, number], [112.91, 28.21] as [number, number]]];
    const viewing = renderModel(initialUiState, data({ shapes, vertexRings: rings }), 12);
    expect(viewing.shapes).toBe(shapes);
    expect(viewing.vertexRings).toEqual([]);
    expect(viewing.picking).toBe(false);
    const editing = renderModel(uiReducer(initialUiState, { type: 'toggle-editing' }), data({ shapes, vertexRings: rings }), 12);
    expect(editing.vertexRings).toBe(rings);
    expect(editing.picking).toBe(true);
    // The same (empty) rings whenever not editing: the map does not send its handles again.
    expect(renderModel(initialUiState, data(), 13).vertexRings).toBe(viewing.vertexRings);
  });
});
