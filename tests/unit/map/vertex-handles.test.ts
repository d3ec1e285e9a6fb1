import { describe, expect, it } from 'vitest';
import type { LngLat } from '../../../src/domain/ids';
import { handleAt, handleFeatures } from '../../../src/map/vertex-handles';

describe('vertex handles', () => {
  const square: LngLat[] = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ];

  it('puts a handle on every vertex and on the middle of every edge, the ring closed', () => {
    const handles = handleFeatures([square]);
    expect(handles.features).toHaveLength(8);
    expect(handles.features.filter((f) => f.properties?.kind === 'edge').map((f) => f.geometry.coordinates)).toEqual([
      [0.5, 0],
      [1, 0.5],
      [0.5, 1],
      [0, 0.5],
    ]);
  });

  it('a press near a vertex moves that vertex; near an edge middle, both its ends', () => {
    const handles = handleFeatures([square]);
    expect(handleAt(handles, [0.98, 1.01])).toEqual([[1, 1]]);
    expect(handleAt(handles, [0.02, 0.49])).toEqual([
      [0, 1],
      [0, 0],
    ]);
    expect(handleAt(handleFeatures([]), [0, 0])).toBeNull();
  });
});
