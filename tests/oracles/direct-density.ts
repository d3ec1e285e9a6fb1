// The test oracle for kernel density: the textbook definition, summed directly over every point
// at each asked raster cell, written apart from src/geo/kernel-density.ts (it shares nothing
// with it but the raster frame's documented definition), so a mistake there cannot hide here.
// Also the naive baseline of the benchmark.

/** Metres per degree of latitude on the mean Earth sphere (IUGG, 6 371 008.8 m), as the raster frame is defined. */
const METERS_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

interface Frame {
  bbox: readonly [number, number, number, number];
  width: number;
  height: number;
  cellMeters: number;
}

interface Options {
  bandwidthMeters: number;
  kernel: 'quartic' | 'gaussian';
}

/**
 * Returns the density (per km², weighted when `weights` are given) at the centres of the given
 * raster cells (row-major indices from the north-west), summing the kernel over every point with
 * no cut-off. Distances are taken in the frame's local equirectangular plane: x east scaled by the
 * cosine of the frame's middle latitude, y north.
 *
 * Quartic (Silverman 1986, eq. 4.5): K(d) = 3 / (π h²) · (1 − d²/h²)² for d < h, else 0.
 * Gaussian: K(d) = 1 / (2 π σ²) · exp(−d² / 2σ²).
 */
export function directDensity(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  frame: Frame,
  options: Options,
  cells: readonly number[],
): Float64Array {
  const [west, south, , north] = frame.bbox;
  const kx = Math.cos((((north + south) / 2) * Math.PI) / 180) * METERS_PER_DEGREE;
  const h = options.bandwidthMeters;
  const out = new Float64Array(cells.length);
  cells.forEach((cell, k) => {
    const column = cell % frame.width;
    const row = Math.floor(cell / frame.width);
    const centreLng = west + ((column + 0.5) * frame.cellMeters) / kx;
    const centreLat = north - ((row + 0.5) * frame.cellMeters) / METERS_PER_DEGREE;
    let sum = 0;
    for (let i = 0; i < lng.length; i++) {
      const dx = ((lng[i] as number) - centreLng) * kx;
      const dy = ((lat[i] as number) - centreLat) * METERS_PER_DEGREE;
      const d2 = dx * dx + dy * dy;
      let value: number;
      if (options.kernel === 'quartic') value = d2 < h * h ? (3 / (Math.PI * h * h)) * (1 - d2 / (h * h)) ** 2 : 0;
      else value = Math.exp(-d2 / (2 * h * h)) / (2 * Math.PI * h * h);
      sum += (weights ? (weights[i] as number) : 1) * value;
    }
    out[k] = sum * 1e6;
  });
  return out;
}
