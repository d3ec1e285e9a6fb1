import { describe, expect, it } from 'vitest';
import { frameLine, framePath, framePoint, inFrame, printFrame, scaleBar } from '../../../src/map/report-map';

describe('printed map frame', () => {
  // A cell of about 1 km × 0.55 km at Changsha's latitude.
  const box = [112.9, 28.2, 112.91, 28.205] as const;
  const frame = printFrame(box, 180, 90, 0.5);

  it('centres the box with its margin, true to shape (a degree of longitude shortened by cos φ)', () => {
    const [x0, y0] = framePoint(frame, [box[0], box[3]]);
    const [x1, y1] = framePoint(frame, [box[2], box[1]]);
    expect((x0 + x1) / 2).toBeCloseTo(90, 1);
    expect((y0 + y1) / 2).toBeCloseTo(45, 1);
    // Width over height on paper equals metres east over metres north.
    const east = 0.01 * Math.cos((28.2025 * Math.PI) / 180);
    expect((x1 - x0) / (y1 - y0)).toBeCloseTo(east / 0.005, 3);
    // The box and its margin fit: the limiting side is twice the box.
    expect(Math.max((x1 - x0) / 180, (y1 - y0) / 90)).toBeCloseTo(0.5, 3);
  });

  it('draws rings as paths and tells what overlaps', () => {
    const d = framePath(frame, {
      type: 'Polygon',
      coordinates: [
        [
          [112.9, 28.2],
          [112.91, 28.2],
          [112.91, 28.205],
          [112.9, 28.2],
        ],
      ],
    });
    expect(d).toMatch(/^M[\d.]+ [\d.]+L.*Z$/);
    expect(inFrame(frame, [112.905, 28.201, 112.906, 28.202])).toBe(true);
    expect(inFrame(frame, [113.5, 28.2, 113.6, 28.3])).toBe(false);
  });

  it('gives a round scale bar of about a fifth of the map', () => {
    const bar = scaleBar(frame);
    expect([100, 200, 500]).toContain(bar.metres);
    // Its length in map units matches the metres: the frame's height is 2 × 0.005° of latitude.
    const metresPerUnit = (2 * 0.005 * 111_320) / 90;
    expect(bar.length * metresPerUnit).toBeCloseTo(bar.metres, 6);
    expect(bar.length).toBeLessThanOrEqual(36);
    expect(bar.length).toBeGreaterThan(36 / 5);
  });
});

describe('frameLine', () => {
  it('draws a line’s parts on the frame and leaves out those outside it', () => {
    const frame = printFrame([112.9, 28.2, 112.91, 28.21], 100, 100, 0);
    const d = frameLine(frame, {
      type: 'MultiLineString',
      coordinates: [
        [
          [112.9, 28.2],
          [112.91, 28.21],
        ],
        [
          [113.5, 29],
          [113.6, 29.1],
        ],
      ],
    });
    expect(d.startsWith('M')).toBe(true);
    expect(d.match(/M/g)).toHaveLength(1);
    expect(d).not.toContain('Z');
    expect(frameLine(frame, { type: 'LineString', coordinates: [[112.905, 28.205]] })).toBe('');
  });
});
