/**
 * The heatmap's colour scale, fixed in density units (events per km², or weighted events per
 * km²): the same density has the same colour at every zoom, in every view and time window.
 * Below the first break nothing is drawn.
 */
export const HEAT_BREAKS = [5, 10, 20, 50, 100, 200, 500, 1000, 2000] as const;

/** One colour per class (RGBA, 0–255): from pale yellow, through orange and red, to dark purple. */
export const HEAT_COLORS: readonly (readonly [number, number, number, number])[] = [
  [255, 245, 180, 110],
  [254, 224, 139, 140],
  [253, 190, 100, 165],
  [252, 141, 60, 185],
  [240, 90, 40, 200],
  [215, 48, 39, 210],
  [175, 20, 45, 220],
  [128, 0, 60, 230],
  [75, 0, 75, 240],
];

/** Returns the class of a density: −1 below the first break, else the last break it reaches. */
export function heatClass(value: number): number {
  let k = -1;
  for (let i = 0; i < HEAT_BREAKS.length; i++) if (value >= (HEAT_BREAKS[i] as number)) k = i;
  return k;
}

/** Returns RGBA pixels (row-major from the north-west, like the raster) for density values. */
export function colorizeHeat(values: ArrayLike<number>): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const k = heatClass(values[i] as number);
    if (k < 0) continue;
    const c = HEAT_COLORS[k] as readonly number[];
    out[i * 4] = c[0] as number;
    out[i * 4 + 1] = c[1] as number;
    out[i * 4 + 2] = c[2] as number;
    out[i * 4 + 3] = c[3] as number;
  }
  return out;
}
