import type { LineString, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/demo/random';
import { METERS_PER_DEGREE } from '../../../src/geo/planar';
import { buildSnapTargets, snapPosition, snapTargetBuffers, snapTargetsFromBuffers } from '../../../src/geo/snap-position';

// Two unit squares about 100 m wide sharing the edge x = 112.001, and a road north of them.
const D = 0.001;
const square = (x: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, 28],
      [x + D, 28],
      [x + D, 28 + D],
      [x, 28 + D],
      [x, 28],
    ],
  ],
});
const road: LineString = {
  type: 'LineString',
  coordinates: [
    [112, 28.0015],
    [112.002, 28.0015],
  ],
};
const mx = METERS_PER_DEGREE * Math.cos((28 * Math.PI) / 180);
const targets = buildSnapTargets([square(112), square(112 + D)], [road]);

describe('snapPosition', () => {
  it('keeps each shared vertex and each shared edge once', () => {
    expect(targets.firstRoadPoint).toBe(6);
    expect(targets.firstRoadSegment).toBe(7);
  });

  it('snaps to a vertex within the tolerance, even when an edge is nearer', () => {
    // 2 m east and 0.5 m north of the shared corner (112.001, 28): the edge y = 28 is 0.5 m away.
    const at: [number, number] = [112.001 + 2 / mx, 28 + 0.5 / METERS_PER_DEGREE];
    const snapped = snapPosition(targets, at, 3);
    expect(snapped?.kind).toBe('vertex');
    expect(snapped?.position).toEqual([112.001, 28]);
    expect(snapped?.distanceMeters).toBeCloseTo(Math.hypot(2, 0.5), 3);
  });

  it('snaps onto an edge at the foot of the perpendicular when no vertex is near', () => {
    const snapped = snapPosition(targets, [112.0005, 28 + 1 / METERS_PER_DEGREE], 3);
    expect(snapped?.kind).toBe('edge');
    expect(snapped?.position[0]).toBeCloseTo(112.0005, 12);
    expect(snapped?.position[1]).toBeCloseTo(28, 12);
    expect(snapped?.distanceMeters).toBeCloseTo(1, 6);
  });

  it('snaps to a road only when no cell is within the tolerance, and to nothing beyond it', () => {
    const nearRoad = snapPosition(targets, [112.0005, 28.0015 + 2 / METERS_PER_DEGREE], 3);
    expect(nearRoad).toMatchObject({ kind: 'road' });
    expect(nearRoad?.position[1]).toBeCloseTo(28.0015, 12);
    expect(snapPosition(targets, [112.0005, 28.0015 + 4 / METERS_PER_DEGREE], 3)).toBeNull();
    expect(snapPosition(targets, [112.0005, 28.0005], 3)).toBeNull();
  });

  it('agrees with a brute-force search over every vertex and segment', () => {
    const random = createRandom(5);
    const cells = [square(112), square(112 + D)];
    const vertices = cells.flatMap((c) => c.coordinates[0] ?? []);
    for (let n = 0; n < 300; n++) {
      const at: [number, number] = [112 - 0.0002 + random.next() * 0.0024, 28 - 0.0002 + random.next() * 0.0014];
      const tolerance = 1 + random.next() * 20;
      // Metres per degree of longitude at the query's latitude, as the snapping measures.
      const mx = METERS_PER_DEGREE * Math.cos((at[1] * Math.PI) / 180);
      const metres = (p: number[]) => Math.hypot(((p[0] as number) - at[0]) * mx, ((p[1] as number) - at[1]) * METERS_PER_DEGREE);
      const vertex = vertices.map(metres).filter((d) => d <= tolerance);
      const snapped = snapPosition(buildSnapTargets(cells), at, tolerance);
      if (vertex.length > 0) {
        expect(snapped?.kind).toBe('vertex');
        expect(snapped?.distanceMeters).toBeCloseTo(Math.min(...vertex), 6);
      } else {
        // The nearest edge point: the squares' edges lie on x = 112, 112.001, 112.002 and y = 28, 28.001.
        const dx = Math.min(...[112, 112.001, 112.002].map((x) => Math.abs(at[0] - x) * mx));
        const dy = Math.min(...[28, 28.001].map((y) => Math.abs(at[1] - y) * METERS_PER_DEGREE));
        const inside = at[0] >= 112 && at[0] <= 112.002 && at[1] >= 28 && at[1] <= 28.001;
        const edge = inside ? Math.min(dx, dy) : undefined;
        if (edge !== undefined && edge <= tolerance) expect(snapped?.distanceMeters).toBeCloseTo(edge, 6);
        if (snapped) expect(snapped.distanceMeters).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  it('snaps the same after its targets go through buffers (as a worker hands them over)', () => {
    const random = createRandom(9);
    const road: LineString = {
      type: 'LineString',
      coordinates: [
        [111.9995, 28.0015],
        [112.0035, 28.0015],
      ],
    };
    const built = buildSnapTargets([square(112), square(112 + D)], [road]);
    // A structured clone, as postMessage makes it.
    const reopened = snapTargetsFromBuffers(structuredClone(snapTargetBuffers(built)));
    for (let n = 0; n < 200; n++) {
      const at: [number, number] = [112 - 0.0005 + random.next() * 0.003, 28 - 0.0005 + random.next() * 0.0025];
      expect(snapPosition(reopened, at, 15)).toEqual(snapPosition(built, at, 15));
    }
    expect(reopened.firstRoadPoint).toBe(built.firstRoadPoint);
  });
});
