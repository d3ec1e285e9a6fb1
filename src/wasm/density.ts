// AssemblyScript, not TypeScript (left out of tsconfig.json; the compiler checks it), compiled to
// WebAssembly with SIMD by `npm run build:wasm` into src/geo/density-wasm.ts: the kernel densities
// of binned points. quarticDensity and gaussianSeriesDensity in src/geo/kernel-density.ts bin the
// points, lay out this module's memory and call quarticStrip, gaussianScatter and gaussianRows; the methods are
// described there. Pointers are byte offsets into this module's memory. The work comes in many
// calls (a strip of bins, a band of rows), for progress and so that V8 swaps in its optimised
// code for the later calls (a call that runs on keeps the baseline code it started with).

// The raster, the kernel and the strip at hand (set by quarticStrip).
let W: i32 = 0;
let H: i32 = 0;
let s: f64 = 0;
let h: f64 = 0;
let h2: f64 = 0;
let Q: i32 = 0;
let span: i32 = 0;
let windowStart: i32 = 0;
let diff: usize = 0;
let dirty: usize = 0;
let values: usize = 0;

function at(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

function add(base: usize, i: i32, value: f64): void {
  const p = base + ((<usize>i) << 3);
  store<f64>(p, load<f64>(p) + value);
}

/** Adds the polynomial Σ pk·ξ^k, ξ = metres east of column cb's centre, to row r's columns c0..c1. */
function stamp(r: i32, c0: i32, c1: i32, cb: i32, p0: f64, p1: f64, p2: f64, p3: f64, p4: f64): void {
  // In window-local X, ξ = X − t: shift the polynomial (Taylor).
  const t = (<f64>(cb - windowStart) + 0.5) * s;
  const e3 = p3 - 4 * t * p4;
  const e2 = p2 - t * (3 * p3 - 6 * t * p4);
  const e1 = p1 - t * (2 * p2 - t * (3 * p3 - 4 * t * p4));
  const e0 = p0 - t * (p1 - t * (p2 - t * (p3 - t * p4)));
  const ring = r % Q;
  store<u8>(dirty + <usize>ring, 1);
  let o = (ring * span + c0 - windowStart) * 5;
  add(diff, o, e0);
  add(diff, o + 1, e1);
  add(diff, o + 2, e2);
  add(diff, o + 3, e3);
  add(diff, o + 4, p4);
  if (c1 + 1 < min<i32>(W, windowStart + span)) {
    o += (c1 + 1 - c0) * 5;
    add(diff, o, -e0);
    add(diff, o + 1, -e1);
    add(diff, o + 2, -e2);
    add(diff, o + 3, -e3);
    add(diff, o + 4, -p4);
  }
}

/** Stamps one point (metres from the corner) row by row: its own polynomial on its own runs. */
function stampPoint(px: f64, py: f64, w: f64): void {
  const cb = <i32>Math.floor(px / s);
  const x0 = px - (<f64>cb + 0.5) * s;
  const r0 = max<i32>(0, <i32>Math.ceil((py - h) / s - 0.5));
  const r1 = min<i32>(H - 1, <i32>Math.floor((py + h) / s - 0.5));
  for (let r = r0; r <= r1; r++) {
    const dy = (<f64>r + 0.5) * s - py;
    const rest = h2 - dy * dy;
    if (rest <= 0) continue;
    const half = Math.sqrt(rest);
    const c0 = max<i32>(0, <i32>Math.ceil((px - half) / s - 0.5));
    const c1 = min<i32>(W - 1, <i32>Math.floor((px + half) / s - 0.5));
    if (c0 > c1) continue;
    // (rest − (ξ − x0)²)² with ξ from column cb's centre.
    const q = rest - x0 * x0;
    const b = 2 * x0;
    stamp(r, c0, c1, cb, w * q * q, w * 2 * q * b, w * (b * b - 2 * q), w * -2 * b, w);
  }
}

/** Evaluates the strip's running sums of rows `from` to `to` − 1 into `values`, clearing them. */
function evaluateRows(from: i32, to: i32): void {
  const c0 = max<i32>(0, windowStart);
  const c1 = min<i32>(W, windowStart + span);
  const last = min<i32>(to, H);
  for (let r = max<i32>(0, from); r < last; r++) {
    const ring = r % Q;
    if (load<u8>(dirty + <usize>ring) === 0) continue;
    store<u8>(dirty + <usize>ring, 0);
    let s0: f64 = 0;
    let s1: f64 = 0;
    let s2: f64 = 0;
    let s3: f64 = 0;
    let s4: f64 = 0;
    for (let c = c0; c < c1; c++) {
      const o = (ring * span + c - windowStart) * 5;
      s0 += at(diff, o);
      s1 += at(diff, o + 1);
      s2 += at(diff, o + 2);
      s3 += at(diff, o + 3);
      s4 += at(diff, o + 4);
      const X = (<f64>(c - windowStart) + 0.5) * s;
      add(values, r * W + c, s0 + X * (s1 + X * (s2 + X * (s3 + X * s4))));
    }
    memory.fill(diff + ((<usize>(ring * span * 5)) << 3), 0, (<usize>(span * 5)) << 3);
  }
}

/** Sums the rim: columns `col` to `end` of row `base` / W, every point of the bin (u, rest, a; count even). */
function rim(base: i32, col: i32, end: i32, cb: i32, u: usize, rest: usize, a: usize, count: i32): void {
  const zero = f64x2.splat(0);
  // Two columns at a time, two points per lane pair: max(g, 0)² · a.
  for (; col < end; col += 2) {
    const dxA = f64x2.splat(<f64>(col - cb) * s);
    const dxB = f64x2.splat(<f64>(col + 1 - cb) * s);
    let sumA = zero;
    let sumB = zero;
    for (let m = 0; m < count; m += 2) {
      const o = (<usize>m) << 3;
      const um = v128.load(u + o);
      const rm = v128.load(rest + o);
      const am = v128.load(a + o);
      const dA = f64x2.sub(dxA, um);
      const dB = f64x2.sub(dxB, um);
      const gA = f64x2.max(f64x2.sub(rm, f64x2.mul(dA, dA)), zero);
      const gB = f64x2.max(f64x2.sub(rm, f64x2.mul(dB, dB)), zero);
      sumA = f64x2.add(sumA, f64x2.mul(am, f64x2.mul(gA, gA)));
      sumB = f64x2.add(sumB, f64x2.mul(am, f64x2.mul(gB, gB)));
    }
    add(values, base + col, f64x2.extract_lane(sumA, 0) + f64x2.extract_lane(sumA, 1));
    add(values, base + col + 1, f64x2.extract_lane(sumB, 0) + f64x2.extract_lane(sumB, 1));
  }
  if (col === end) {
    const dx = f64x2.splat(<f64>(col - cb) * s);
    let sum = zero;
    for (let m = 0; m < count; m += 2) {
      const o = (<usize>m) << 3;
      const d = f64x2.sub(dx, v128.load(u + o));
      const g = f64x2.max(f64x2.sub(v128.load(rest + o), f64x2.mul(d, d)), zero);
      sum = f64x2.add(sum, f64x2.mul(v128.load(a + o), f64x2.mul(g, g)));
    }
    add(values, base + col, f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1));
  }
}

/**
 * The kernel density (quartic, radius `radius` metres) of the points binned by `binPoints` with a
 * margin of M = ⌈h / s⌉ + 1 bins, in the bins of columns `firstBin` to `firstBin` + 2R + 1 (a
 * strip; R = ⌈h / s⌉), all rows: `xs`, `ys` (metres from the raster's north-west corner) and `ws`
 * (weights, or 0 when every point counts once) in bin order, `start` (u32) where each bin's run
 * begins. Adds the density (per km² when `scale` is 3·10⁶/(πh⁶)) into `out` (W × H f64, row
 * major). `scratch` holds 4 × `most` f64 (`most` even, above the largest bin), `sums` Q × span × 5
 * f64 and `flags` Q bytes, all zero (Q = 2R + 4, span = 4R + 2). Returns the strip's points.
 */
export function quarticStrip(
  firstBin: i32,
  width: i32,
  height: i32,
  cellMeters: f64,
  radius: f64,
  scale: f64,
  xs: usize,
  ys: usize,
  ws: usize,
  start: usize,
  scratch: usize,
  most: i32,
  sums: usize,
  flags: usize,
  out: usize,
): i32 {
  W = width;
  H = height;
  s = cellMeters;
  h = radius;
  h2 = radius * radius;
  diff = sums;
  dirty = flags;
  values = out;
  const R = <i32>Math.ceil(h / s);
  const M = R + 1;
  const Wb = W + 2 * M;
  const Hb = H + 2 * M;
  const strip = 2 * R + 2;
  span = strip + 2 * R;
  Q = 2 * R + 4;
  windowStart = firstBin - M - R;
  const u = scratch;
  const v = scratch + ((<usize>most) << 3);
  const a = scratch + ((<usize>most) << 4);
  const rest = scratch + ((<usize>most) << 3) * 3;
  const h2v = f64x2.splat(h2);
  let done = 0;
  // Bin Wb × Hb holds the points that reach no cell (or are not numbers): left out.
  const lastBin = min<i32>(Wb, firstBin + strip);
  let evaluated = 0;
  for (let mb = 0; mb < Hb; mb++) {
    const rb = mb - M;
    const rowStart = start + ((<usize>(mb * Wb)) << 2);
    if (load<u32>(rowStart + ((<usize>firstBin) << 2)) === load<u32>(rowStart + ((<usize>lastBin) << 2))) continue;
    evaluateRows(evaluated, rb - R - 1);
    evaluated = max<i32>(evaluated, rb - R - 1);
    for (let kb = firstBin; kb < lastBin; kb++) {
      const first = <i32>load<u32>(rowStart + ((<usize>kb) << 2));
      const last = <i32>load<u32>(rowStart + ((<usize>(kb + 1)) << 2));
      if (first === last) continue;
      done += last - first;
      const cb = kb - M;
      const xc = (<f64>cb + 0.5) * s;
      const yc = (<f64>rb + 0.5) * s;
      // Moments of the bin's points about its centre: Σa·u^i·v^j and with w = u² + v².
      let m0: f64 = 0;
      let mu: f64 = 0;
      let mv: f64 = 0;
      let muu: f64 = 0;
      let mvv: f64 = 0;
      let muv: f64 = 0;
      let muw: f64 = 0;
      let mvw: f64 = 0;
      let mww: f64 = 0;
      let umin = s;
      let umax = -s;
      let vmin = s;
      let vmax = -s;
      let count = 0;
      for (let m = first; m < last; m++) {
        const w = ws ? at(ws, m) : 1;
        // Not a number or infinite: w − w is not 0.
        if (w === 0 || w - w !== 0) continue;
        const ai = w * scale;
        const ui = at(xs, m) - xc;
        const vi = at(ys, m) - yc;
        store<f64>(u + ((<usize>count) << 3), ui);
        store<f64>(v + ((<usize>count) << 3), vi);
        store<f64>(a + ((<usize>count) << 3), ai);
        count++;
        const wi = ui * ui + vi * vi;
        m0 += ai;
        mu += ai * ui;
        mv += ai * vi;
        muu += ai * ui * ui;
        mvv += ai * vi * vi;
        muv += ai * ui * vi;
        muw += ai * ui * wi;
        mvw += ai * vi * wi;
        mww += ai * wi * wi;
        if (ui < umin) umin = ui;
        if (ui > umax) umax = ui;
        if (vi < vmin) vmin = vi;
        if (vi > vmax) vmax = vi;
      }
      if (count <= 2) {
        // Moments would not pay: each point stamped on its own.
        for (let m = 0; m < count; m++) stampPoint(xc + at(u, m), yc + at(v, m), at(a, m));
        continue;
      }
      if (count & 1) {
        // An even count for the pairs of lanes: a point of weight 0.
        store<f64>(u + ((<usize>count) << 3), 0);
        store<f64>(v + ((<usize>count) << 3), 0);
        store<f64>(a + ((<usize>count) << 3), 0);
        count++;
      }
      const mw = muu + mvv;
      const r0 = max<i32>(0, rb + <i32>Math.ceil((vmin - h) / s));
      const r1 = min<i32>(H - 1, rb + <i32>Math.floor((vmax + h) / s));
      for (let r = r0; r <= r1; r++) {
        const eta = <f64>(r - rb) * s;
        const dyMin = eta < vmin ? vmin - eta : eta > vmax ? eta - vmax : 0;
        if (dyMin >= h) continue;
        const dyMax = Math.max(Math.abs(eta - vmin), Math.abs(eta - vmax));
        const outer = Math.sqrt(h2 - dyMin * dyMin);
        const o0 = max<i32>(0, cb + <i32>Math.ceil((umin - outer) / s));
        const o1 = min<i32>(W - 1, cb + <i32>Math.floor((umax + outer) / s));
        // Columns inside every point's disc: the bin's polynomial from its moments.
        let i0 = o1 + 1;
        let i1 = o1;
        if (dyMax < h) {
          const inner = Math.sqrt(h2 - dyMax * dyMax);
          i0 = max<i32>(o0, cb + <i32>Math.ceil((umax - inner) / s));
          i1 = min<i32>(o1, cb + <i32>Math.floor((umin + inner) / s));
          if (i0 <= i1) {
            // Σa·(c + 2ηv − w + 2u·ξ − ξ²)², c = h² − η², expanded in ξ.
            const c = h2 - eta * eta;
            const sumG = c * m0 + 2 * eta * mv - mw;
            const sumGB = 2 * (c * mu + 2 * eta * muv - muw);
            const sumG2 = c * c * m0 + 2 * c * (2 * eta * mv - mw) + 4 * eta * eta * mvv - 4 * eta * mvw + mww;
            stamp(r, i0, i1, cb, sumG2, 2 * sumGB, 4 * muu - 2 * sumG, -4 * mu, m0);
          } else {
            i0 = o1 + 1;
            i1 = o1;
          }
        }
        // The rim: cells inside some discs and outside others, summed point by point.
        const etav = f64x2.splat(eta);
        for (let m = 0; m < count; m += 2) {
          const o = (<usize>m) << 3;
          const dy = f64x2.sub(etav, v128.load(v + o));
          v128.store(rest + o, f64x2.sub(h2v, f64x2.mul(dy, dy)));
        }
        // Left of the stamp, then right of it (all of o0..o1 when there is none).
        rim(r * W, o0, i0 - 1, cb, u, rest, a, count);
        rim(r * W, i1 + 1, o1, cb, u, rest, a, count);
      }
    }
  }
  evaluateRows(evaluated, H);
  return done;
}

/**
 * The Gaussian density (σ `sigma` metres) of the points binned by `binPoints` with a margin of
 * `R` bins, by a series of `p` terms (8 or 12; the last ones 0 when fewer are needed) along x per
 * column bin and exact rows along y (see gaussianSeriesDensity): adds the points of column bins
 * `j0` to `j1` − 1 that reach rows `r0` to `r1` − 1 (a band, starting at r0) to the band's sums.
 * Tables: `G` (R + 1 f64) e^(−(es)²/2σ²), `inverseFactorial` (p f64: 1/k!, 0 past the series).
 * Scratch: `a` (12 f64, zero past p), `sums` (rows of the band × (W + 2R) × p f64) and `touched` (rows of the
 * band × (W + 2R) bytes), zero at the start of the band. Returns how many points it visited.
 */
export function gaussianScatter(
  r0: i32,
  r1: i32,
  j0: i32,
  j1: i32,
  width: i32,
  height: i32,
  cellMeters: f64,
  sigma: f64,
  scale: f64,
  p: i32,
  R: i32,
  xs: usize,
  ys: usize,
  ws: usize,
  start: usize,
  G: usize,
  inverseFactorial: usize,
  a: usize,
  sums: usize,
  touched: usize,
): i32 {
  const Wb = width + 2 * R;
  const Hb = height + 2 * R;
  const s = cellMeters;
  const h = sigma;
  const h2 = sigma * sigma;
  let done = 0;
  // Row bins (m + R) whose points reach a row of the band: m from r0 − R to r1 − 1 + R.
  const m1 = min<i32>(Hb - 1, r1 - 1 + 2 * R);
  for (let mb = r0; mb <= m1; mb++) {
    const m = mb - R;
    const lo = max<i32>(r0, m - R);
    const hi = min<i32>(r1 - 1, m + R);
    if (lo > hi) continue;
    const q0 = <i32>load<u32>(start + ((<usize>(mb * Wb + j0)) << 2));
    const q1 = <i32>load<u32>(start + ((<usize>(mb * Wb + j1)) << 2));
    done += q1 - q0;
    for (let q = q0; q < q1; q++) {
      const weight = ws ? at(ws, q) : 1;
      // Not a number or infinite: w − w is not 0.
      if (weight === 0 || weight - weight !== 0) continue;
      const px = at(xs, q);
      const jb = <i32>Math.floor(px / s) + R;
      const u = (px - (<f64>(jb - R) + 0.5) * s) / h;
      let uk = weight * scale * Math.exp(-(u * u) / 2);
      for (let k = 0; k < p; k++) {
        store<f64>(a + ((<usize>k) << 3), uk * at(inverseFactorial, k));
        uk *= u;
      }
      const dy = at(ys, q) - (<f64>m + 0.5) * s;
      const E = Math.exp((s * dy) / h2);
      let power = Math.exp((<f64>(lo - m) * s * dy) / h2 - (dy * dy) / (2 * h2));
      // The terms held in registers (read from memory at each row, beside the sums written there,
      // and in a loop, they took ~20 % longer).
      const a0 = v128.load(a);
      const a1 = v128.load(a, 16);
      const a2 = v128.load(a, 32);
      const a3 = v128.load(a, 48);
      const a4 = v128.load(a, 64);
      const a5 = v128.load(a, 80);
      for (let r = lo; r <= hi; r++) {
        const e = r - m;
        const g = f64x2.splat(at(G, e < 0 ? -e : e) * power);
        power *= E;
        const cell = (r - r0) * Wb + jb;
        store<u8>(touched + <usize>cell, 1);
        const base = sums + ((<usize>(cell * p)) << 3);
        v128.store(base, f64x2.add(v128.load(base), f64x2.mul(g, a0)));
        v128.store(base, f64x2.add(v128.load(base, 16), f64x2.mul(g, a1)), 16);
        v128.store(base, f64x2.add(v128.load(base, 32), f64x2.mul(g, a2)), 32);
        v128.store(base, f64x2.add(v128.load(base, 48), f64x2.mul(g, a3)), 48);
        if (p === 12) {
          v128.store(base, f64x2.add(v128.load(base, 64), f64x2.mul(g, a4)), 64);
          v128.store(base, f64x2.add(v128.load(base, 80), f64x2.mul(g, a5)), 80);
        }
      }
    }
  }
  return done;
}

/**
 * Turns the sums of a band that starts at row `band` (see gaussianScatter) into the densities of
 * its rows `r0` to `r1` − 1, added into `out` (W × H f64, row major), with the table `phi`
 * ((2R + 1) × p f64) e^(−t²/2) t^k; p is 8 or 12.
 */
export function gaussianRows(
  band: i32,
  r0: i32,
  r1: i32,
  width: i32,
  p: i32,
  R: i32,
  phi: usize,
  sums: usize,
  touched: usize,
  out: usize,
): void {
  const Wb = width + 2 * R;
  for (let r = r0; r < r1; r++) {
    const row = r * width;
    for (let jb = 0; jb < Wb; jb++) {
      const cell = (r - band) * Wb + jb;
      if (load<u8>(touched + <usize>cell) === 0) continue;
      // The bin's sums held in registers, as in gaussianScatter.
      const base = sums + ((<usize>(cell * p)) << 3);
      const s0 = v128.load(base);
      const s1 = v128.load(base, 16);
      const s2 = v128.load(base, 32);
      const s3 = v128.load(base, 48);
      const s4 = p === 12 ? v128.load(base, 64) : f64x2.splat(0);
      const s5 = p === 12 ? v128.load(base, 80) : f64x2.splat(0);
      const j = jb - R;
      const c1 = min<i32>(width - 1, j + R);
      for (let c = max<i32>(0, j - R); c <= c1; c++) {
        const f = phi + ((<usize>((c - j + R) * p)) << 3);
        let sum = f64x2.add(
          f64x2.add(f64x2.mul(s0, v128.load(f)), f64x2.mul(s1, v128.load(f, 16))),
          f64x2.add(f64x2.mul(s2, v128.load(f, 32)), f64x2.mul(s3, v128.load(f, 48))),
        );
        if (p === 12) sum = f64x2.add(sum, f64x2.add(f64x2.mul(s4, v128.load(f, 64)), f64x2.mul(s5, v128.load(f, 80))));
        add(out, row + c, f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1));
      }
    }
  }
}

/** Where this module's own data ends (Math.exp keeps a table there): pointers start after it. */
export function heapBase(): usize {
  return __heap_base;
}
