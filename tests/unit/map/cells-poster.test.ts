import type { FeatureCollection, MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { CellProperties } from '../../../src/domain/records';
import { cellFillOpacity, hatchImage } from '../../../src/map/cell-style';
import { CellsPoster } from '../../../src/map/cells-poster';
import type { SketchCanvas, SketchItem } from '../../../src/map/sketch-canvas';

/** A sketch canvas that records what it was asked to draw (the poster uses only `draw`). */
function recordingSketch() {
  const calls: (readonly SketchItem[] | null)[] = [];
  return { calls, sketch: { draw: (items: readonly SketchItem[] | null) => calls.push(items) } as unknown as SketchCanvas };
}

const square = (code: string, x: number, cls: 'A' | 'B' | 'C') => ({
  type: 'Feature' as const,
  properties: { code, name: code, communityCode: '1', communityName: null, class: cls, classSource: 'rule', households: 1, version: 1 },
  geometry: {
    type: 'MultiPolygon' as const,
    coordinates: [
      [
        [
          [x, 0],
          [x + 1, 0],
          [x + 1, 1],
          [x, 1],
          [x, 0],
        ],
      ],
    ],
  },
});
const cells = {
  type: 'FeatureCollection',
  features: [square('002', 1, 'A'), square('001', 0, 'C')],
} as unknown as FeatureCollection<MultiPolygon, CellProperties>;

describe('CellsPoster', () => {
  it('draws every cell in its class colour, and the selected ones outlined on top', () => {
    const { calls, sketch } = recordingSketch();
    const poster = new CellsPoster(sketch, () => 11);
    poster.setCells(cells);
    poster.setView(true, ['001']);
    const items = calls.at(-1) ?? [];
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ fill: '#d93b30', fillOpacity: 0.5 });
    expect(items[2]).toMatchObject({ stroke: '#1d3f9a' });
  });

  it('answers which cell is under a position, the lowest code on a shared border', () => {
    const poster = new CellsPoster(recordingSketch().sketch, () => 11);
    poster.setCells(cells);
    expect(poster.cellAt([1.5, 0.5])).toBe('002');
    expect(poster.cellAt([1, 0.5])).toBe('001');
    expect(poster.cellAt([5, 5])).toBeNull();
  });

  it('clears when the cells are switched off, and steps aside for good when the map draws them', () => {
    const { calls, sketch } = recordingSketch();
    const poster = new CellsPoster(sketch, () => 11);
    poster.setCells(cells);
    poster.setView(false, []);
    expect(calls.at(-1)).toBeNull();
    poster.setView(true, []);
    expect(poster.active).toBe(true);
    poster.finish();
    expect(poster.active).toBe(false);
    expect(calls.at(-1)).toBeNull();
    poster.setCells(cells);
    expect(calls.at(-1)).toBeNull();
    expect(poster.cellAt([0.5, 0.5])).toBeNull();
  });
});

describe('cellFillOpacity', () => {
  it('follows the map layer’s stops, held beyond them', () => {
    expect(cellFillOpacity(8)).toBeCloseTo(0.5);
    expect(cellFillOpacity(11)).toBeCloseTo(0.5);
    expect(cellFillOpacity(13.5)).toBeCloseTo(0.39);
    expect(cellFillOpacity(16)).toBeCloseTo(0.28);
    expect(cellFillOpacity(19)).toBeCloseTo(0.28);
  });
});

describe('hatchImage', () => {
  it('draws diagonal stripes on transparent that continue across the tile edges', () => {
    const size = 12;
    const { width, height, data } = hatchImage(size, [123, 47, 191]);
    expect([width, height, data.length]).toEqual([size, size, size * size * 4]);
    const alpha = (x: number, y: number) => data[4 * (((y + size) % size) * size + ((x + size) % size)) + 3];
    expect(alpha(0, 0)).toBeGreaterThan(0);
    expect(alpha(3, 0)).toBe(0);
    // Along a stripe (x + y constant) every pixel is ink, also where it wraps to the next tile.
    for (let x = 0; x < size; x++) expect(alpha(x, -x)).toBeGreaterThan(0);
  });
});
