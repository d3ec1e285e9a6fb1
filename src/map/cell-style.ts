/** The cells' fill opacity while a risk layer (heatmap, hot spots) is on: the cells step back. */
export const MUTED_CELL_FILL_OPACITY = 0.07;

/**
 * Returns a square image of diagonal stripes (RGBA, `size` pixels a side) in `rgb` on
 * transparent, which tiles seamlessly: the hatch of topology problems.
 */
export function hatchImage(
  size: number,
  rgb: readonly [number, number, number],
  every = 6,
): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      // Stripes along x + y = const, two pixels wide, repeating every `every` pixels.
      if ((x + y) % every < 2) {
        const i = 4 * (y * size + x);
        data.set([rgb[0], rgb[1], rgb[2], 230], i);
      }
    }
  return { width: size, height: size, data };
}

/** Opacity of the cells' fill: stronger when zoomed out, lighter close up (0.5 at zoom 11, 0.28 at 16). */
export const CELL_FILL_OPACITY_STOPS: readonly [number, number, number, number] = [11, 0.5, 16, 0.28];

/** Returns the cells' fill opacity at `zoom`, as the map's interpolation gives it. */
export function cellFillOpacity(zoom: number): number {
  const [z0, a0, z1, a1] = CELL_FILL_OPACITY_STOPS;
  const t = Math.min(1, Math.max(0, (zoom - z0) / (z1 - z0)));
  return a0 + (a1 - a0) * t;
}
