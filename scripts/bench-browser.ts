/**
 * Browser benchmark (not a test): the editing tools with 5,000 cells on screen, in Debian's
 * Chromium. Builds a district of about 5,000 cells (public/demo-5000/), builds the app on it
 * (dist-bench/), serves it, and with the whole district in view measures the frames the page
 * draws while an admin drags a shared corner of a cell and while the pointer moves in the
 * drawing tool (snapping to the neighbours): the time between animation frames (a frame is
 * 16.7 ms at 60 Hz) and the main thread's long tasks. Baseline in the same run: the same
 * frames with the pointer moving over the map without a tool, with a dot following it (the least
 * a visible change costs), and while panning (every frame redraws the cells).
 * Then a change reaching another tab: a second page of the same browser opens the live view while
 * the first reports cases from a cell's inspector; timed from the click on 上报 to the other page
 * hearing the commit and to its feed showing the case, against the wait the live view would have
 * with polling alone (LIVE_POLL_MS, on average half of it).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { LIVE_POLL_MS } from '../src/app/use-live-now';
import { CHROMIUM_ARGS, CHROMIUM_PATH, servePreview } from './browser';

const root = new URL('..', import.meta.url).pathname;

execFileSync('npx', ['tsx', 'scripts/prepare-demo.ts', '--cells', '5000', '--out', 'demo-5000'], { cwd: root, stdio: 'inherit' });
execFileSync('npx', ['vite', 'build', '--outDir', 'dist-bench', '--emptyOutDir', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, VITE_DEMO_DIR: 'demo-5000' },
});

interface FrameStats {
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  longestEndsAtMs: number;
  longTasks: number;
  longestTaskMs: number;
}

/**
 * Starts recording animation-frame intervals and long tasks in the page (a string: tsx would
 * wrap a named function in a helper the page does not have).
 */
const startRecording = (page: Page) =>
  page.evaluate(`(() => {
    window.__bench = { frames: [], tasks: [], on: true };
    const tick = (t) => {
      if (!window.__bench.on) return;
      window.__bench.frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.tasks.push(e.duration);
    }).observe({ type: 'longtask' });
  })()`);

const stopRecording = async (page: Page): Promise<FrameStats> => {
  const { frames, tasks } = await page.evaluate(() => {
    const w = window as unknown as { __bench: { frames: number[]; tasks: number[]; on: boolean } };
    w.__bench.on = false;
    return { frames: w.__bench.frames, tasks: w.__bench.tasks };
  });
  const unsorted = frames.slice(1).map((t, i) => t - (frames[i] as number));
  // When the longest frame ended, from the start of the recording.
  const longest = unsorted.indexOf(Math.max(...unsorted));
  const longestEndsAtMs = (frames[longest + 1] ?? 0) - (frames[0] ?? 0);
  const gaps = [...unsorted].sort((a, b) => a - b);
  const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0;
  return {
    frames: gaps.length,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    maxMs: gaps[gaps.length - 1] ?? 0,
    longestEndsAtMs,
    longTasks: tasks.length,
    longestTaskMs: Math.max(0, ...tasks),
  };
};

/** Moves the pointer along a line in `steps` events, one every 16 ms, as a hand would. */
async function sweep(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps: number) {
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    await page.waitForTimeout(16);
  }
}

const show = (label: string, s: FrameStats) =>
  `  ${label}: ${s.frames} frames, median ${s.medianMs.toFixed(1)} ms, 95th percentile ${s.p95Ms.toFixed(1)} ms, longest ${s.maxMs.toFixed(0)} ms (ending ${s.longestEndsAtMs.toFixed(0)} ms in); ` +
  `${s.longTasks} long tasks (longest ${s.longestTaskMs.toFixed(0)} ms)`;

const { url: URL_ROOT, stop: stopServer } = await servePreview(root, 'dist-bench', 4188);
try {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  // A context of its own: the second page below shares its storage and shared workers (a second tab).
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const bootStart = Date.now();
  await page.goto(URL_ROOT);
  await page.waitForFunction(() => (window.__gridatlas?.cellsLoaded ?? 0) > 4000 && window.__gridatlas?.cellsDrawn === true, null, {
    timeout: 300_000,
  });
  const loaded = await page.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);
  const bootSeconds = (Date.now() - bootStart) / 1000;
  for (const layer of ['layer-event', 'layer-place', 'layer-thing', 'layer-organisation', 'layer-person']) {
    const box = page.getByTestId(layer);
    if ((await box.count()) > 0 && (await box.isChecked())) await box.uncheck();
  }

  // The whole district in view.
  const manifest = JSON.parse(readFileSync(`${root}public/demo-5000/manifest.json`, 'utf8')) as { bbox: number[] };
  const [w, s, e, n] = manifest.bbox as [number, number, number, number];
  const centre: [number, number] = [(w + e) / 2, (s + n) / 2];
  await page.evaluate((c) => window.__gridatlas?.flyTo(c, 13.5), centre);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);
  const map = await page.getByTestId('map').boundingBox();
  if (!map) throw new Error('the map has no box');
  const at = async (lngLat: number[]) => {
    const xy = await page.evaluate((p) => window.__gridatlas?.project(p as [number, number]) ?? null, lngLat);
    if (!xy) throw new Error('cannot project');
    return { x: map.x + xy[0], y: map.y + xy[1] };
  };
  // How many cells are on screen (a point inside each, projected).
  const onScreen = await page.evaluate(
    ({ width, height }) => {
      let n = 0;
      for (let i = 0; ; i++) {
        const c = window.__gridatlas?.cellAt(i);
        if (!c) return n;
        const xy = window.__gridatlas?.project(c.lngLat);
        if (xy && xy[0] >= 0 && xy[1] >= 0 && xy[0] <= width && xy[1] <= height) n++;
      }
    },
    { width: map.width, height: map.height },
  );

  // Baseline: the pointer moving over the map, no tool.
  const middle = await at(centre);
  await page.mouse.move(middle.x - 200, middle.y);
  await startRecording(page);
  await sweep(page, { x: middle.x - 200, y: middle.y }, { x: middle.x + 200, y: middle.y + 100 }, 90);
  const idle = await stopRecording(page);
  // Baseline 1b: the least a visible change costs here: a dot following the pointer over the map
  // (the page composites a new frame over the map's canvas on every event, without redrawing it).
  await page.evaluate(`(() => {
    const map = document.querySelector('[data-testid="map"]');
    const dot = document.createElement('div');
    dot.id = 'bench-dot';
    Object.assign(dot.style, { position: 'absolute', width: '12px', height: '12px', borderRadius: '6px', background: '#2f6fde', pointerEvents: 'none', left: '0', top: '0' });
    map.appendChild(dot);
    map.addEventListener('mousemove', (e) => {
      const box = map.getBoundingClientRect();
      dot.style.left = (e.clientX - box.left - 6) + 'px';
      dot.style.top = (e.clientY - box.top - 6) + 'px';
    });
  })()`);
  await page.mouse.move(middle.x - 200, middle.y);
  await startRecording(page);
  await sweep(page, { x: middle.x - 200, y: middle.y }, { x: middle.x + 200, y: middle.y + 100 }, 90);
  const dot = await stopRecording(page);
  await page.evaluate(`document.getElementById('bench-dot').remove()`);
  // Baseline 2: panning the map (every frame redraws all the cells), as far as the drag below.
  await page.mouse.move(middle.x, middle.y + 150);
  await page.mouse.down();
  await startRecording(page);
  await sweep(page, { x: middle.x, y: middle.y + 150 }, { x: middle.x + 6, y: middle.y + 154 }, 90);
  const pan = await stopRecording(page);
  await page.mouse.up();
  await page.evaluate((c) => window.__gridatlas?.flyTo(c, 13.5), centre);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);

  // Pick a cell near the middle and drag a corner it shares with cells of its own community.
  const cells = (await (await page.request.get(`${URL_ROOT}demo-5000/cells.geojson`)).json()) as FeatureCollection<
    MultiPolygon,
    { code: string; community_code: string }
  >;
  const owners = new Map<string, { communities: Set<string>; cells: number }>();
  for (const f of cells.features)
    for (const p of f.geometry.coordinates[0]?.[0]?.slice(1) ?? []) {
      const o = owners.get(`${p[0]},${p[1]}`) ?? { communities: new Set<string>(), cells: 0 };
      o.communities.add(f.properties.community_code);
      o.cells++;
      owners.set(`${p[0]},${p[1]}`, o);
    }
  const byDistance = [...cells.features].sort((a, b) => {
    const d = (f: typeof a) => {
      const p = f.geometry.coordinates[0]?.[0]?.[0] ?? [0, 0];
      return ((p[0] as number) - centre[0]) ** 2 + ((p[1] as number) - centre[1]) ** 2;
    };
    return d(a) - d(b);
  });
  let picked: { code: string; corner: number[] } | null = null;
  for (const f of byDistance) {
    const corner = f.geometry.coordinates[0]?.[0]?.find((p) => {
      const o = owners.get(`${p[0]},${p[1]}`);
      return o && o.communities.size === 1 && o.cells >= 3;
    });
    if (corner) {
      picked = { code: f.properties.code, corner };
      break;
    }
  }
  if (!picked) throw new Error('no cell with an inner corner near the middle');
  await page.getByTestId('edit-open').click();
  const cellIndex = await page.evaluate((code) => {
    for (let i = 0; i < 10_000; i++) {
      const c = window.__gridatlas?.cellAt(i);
      if (!c) return -1;
      if (c.code === code) return i;
    }
    return -1;
  }, picked.code);
  const inside = await page.evaluate((i) => window.__gridatlas?.cellAt(i)?.lngLat ?? null, cellIndex);
  if (!inside) throw new Error(`cell ${picked.code} is not loaded`);
  const pickAt = await at(inside);
  await page.mouse.click(pickAt.x, pickAt.y);
  await page.getByTestId('edit-picked').filter({ hasText: picked.code }).waitFor({ timeout: 60_000 });
  const handle = await at(picked.corner);
  await page.mouse.move(handle.x, handle.y);
  await page.mouse.down();
  await startRecording(page);
  await sweep(page, handle, { x: handle.x + 6, y: handle.y + 4 }, 90);
  const drag = await stopRecording(page);
  await page.mouse.up();
  await page.getByTestId('edit-message').filter({ hasText: '边界已调整' }).waitFor({ timeout: 120_000 });

  // The drawing tool: the pointer moves over cells while corners snap to their vertices and edges.
  await page.getByTestId('edit-draw-cell').click();
  // The tool takes clicks once its snap targets are there (until then the map holds them).
  await page.waitForFunction(() => window.__gridatlas?.drawReady() === true);
  await page.mouse.move(middle.x - 150, middle.y - 60);
  await startRecording(page);
  await sweep(page, { x: middle.x - 150, y: middle.y - 60 }, { x: middle.x + 150, y: middle.y + 60 }, 90);
  const draw = await stopRecording(page);
  await page.keyboard.press('Escape');

  // A change in one tab reaching another (both pages share the embedded database in a shared worker).
  await page.getByTestId('edit-open').click();
  const other = await context.newPage();
  other.setDefaultTimeout(120_000);
  await other.goto(URL_ROOT);
  await other.waitForFunction(() => (window.__gridatlas?.cellsLoaded ?? 0) > 4000);
  await other.getByTestId('now-open').click();
  await other.getByTestId('now-feed').locator('li').first().waitFor();
  await page.mouse.click(pickAt.x, pickAt.y);
  await page.getByTestId('inspector-report-case').waitFor();
  const reach: { committed: number; heard: number; shown: number }[] = [];
  for (let k = 0; k < 5; k++) {
    await page.getByTestId('inspector-report-case').click();
    await page.getByTestId('case-report-description').fill(`基准测试：跨标签页送达 ${k + 1}`);
    // The other page notes when it hears of the commit and when its feed's first line changes.
    await other.evaluate(`(() => {
      const first = () => document.querySelector('[data-testid="now-feed"] li')?.textContent ?? '';
      const w = window;
      w.__reach = { heard: null, shown: null, heard0: w.__gridatlas.changesHeard, first: first() };
      const tick = () => {
        const r = w.__reach;
        if (r.heard === null && w.__gridatlas.changesHeard > r.heard0) r.heard = Date.now();
        if (r.shown === null && first() !== r.first) r.shown = Date.now();
        if (r.heard === null || r.shown === null) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    const clicked = Date.now();
    await page.getByTestId('case-report-submit').click();
    await page.getByTestId('case-code').waitFor();
    const committed = Date.now() - clicked;
    await other.waitForFunction(() => {
      const r = (window as unknown as { __reach: { heard: number | null; shown: number | null } }).__reach;
      return r.heard !== null && r.shown !== null;
    });
    const seen = (await other.evaluate('window.__reach')) as { heard: number; shown: number };
    reach.push({ committed, heard: seen.heard - clicked, shown: seen.shown - clicked });
    await page.getByTestId('cases-panel').getByRole('button', { name: '关闭' }).click();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const shownMs = median(reach.map((r) => r.shown));
  await other.close();

  const lines = [
    `editing with ${loaded.toLocaleString('en')} cells, ${onScreen.toLocaleString('en')} of them on screen, Chromium (SwiftShader) 1920 × 1080`,
    `  first boot (download, IndexedDB, draw): ${bootSeconds.toFixed(1)} s`,
    show('pointer over the map, no tool (baseline: nothing to redraw)', idle),
    show('a dot following the pointer (baseline: the least a visible change costs)', dot),
    show('panning the map by as much as the drag (baseline: every frame redraws the cells)', pan),
    show(`dragging a shared corner of ${picked.code}`, drag),
    show('drawing a cell, corners snapping', draw),
    `a case reported in one tab reaching another's live view (median of ${reach.length}, from the click on 上报)`,
    `  committed in the first tab: ${median(reach.map((r) => r.committed))} ms; heard in the other: ${median(reach.map((r) => r.heard))} ms; in its feed: ${shownMs} ms`,
    `  polling alone (every ${LIVE_POLL_MS / 1000} s) would show it after ${(LIVE_POLL_MS / 2000).toFixed(0)} s on average: ratio ${(LIVE_POLL_MS / 2 / shownMs).toFixed(0)}×`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await browser.close();
} finally {
  stopServer();
}
