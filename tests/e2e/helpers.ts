import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const SCREENSHOT_DIR = 'tests/e2e/screenshots';

/** Saves a screenshot artefact for people to look at (not compared against anything). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` });
}

/** Collects console errors and page errors of a page, for the no-console-errors check. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Waits until the embedded database is ready and the cells are drawn on an idle map. */
export async function waitForCells(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__gridatlas?.bootStage === 'ready', undefined, { timeout: 180_000 });
  await page.waitForFunction(() => (window.__gridatlas?.cellsLoaded ?? 0) > 0 && window.__gridatlas?.cellsDrawn === true, undefined, {
    timeout: 120_000,
  });
}

/** Pixel counts of the map canvas: how many pixels look like each cell class colour. */
export interface ClassPixels {
  total: number;
  red: number;
  amber: number;
  green: number;
}

/** Reads the map's WebGL canvas and counts pixels whose hue matches the A/B/C fills. */
export async function classPixels(page: Page): Promise<ClassPixels> {
  return page.evaluate(() => {
    const source = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas');
    if (!source) throw new Error('no map canvas');
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.drawImage(source, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let red = 0;
    let amber = 0;
    let green = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i] as number;
      const g = data[i + 1] as number;
      const b = data[i + 2] as number;
      if (r > g + 50 && r > b + 50 && g < 170) red++;
      else if (r > b + 60 && g > b + 30 && r >= g && g >= 150) amber++;
      else if (g > r + 25 && g > b + 15) green++;
    }
    return { total: data.length / 4, red, amber, green };
  });
}

/** A digest of the map canvas's pixels (FNV-1a over every 7th byte): equal images, equal digests. */
export async function canvasDigest(page: Page): Promise<number> {
  return page.evaluate(() => {
    const source = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas');
    if (!source) throw new Error('no map canvas');
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.drawImage(source, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let h = 2166136261;
    for (let i = 0; i < data.length; i += 7) h = Math.imul(h ^ (data[i] as number), 16777619);
    return h >>> 0;
  });
}

/**
 * Counts the nearly opaque pixels of an overlay canvas (sketch or drag preview) in the square of
 * `size` CSS pixels centred on a page position. The canvas covers only what it draws: positions
 * go from the page to the map's top left to the canvas's own.
 */
export async function canvasInk(page: Page, testId: string, at: { x: number; y: number }, size: number): Promise<number> {
  const map = await page.getByTestId('map').boundingBox();
  return page.getByTestId(testId).evaluate(
    (canvas: HTMLCanvasElement, { x, y, size }) => {
      const ratio = canvas.width / canvas.clientWidth;
      const [cx, cy] = [x - canvas.offsetLeft, y - canvas.offsetTop];
      const half = (size - 1) / 2;
      const data =
        canvas.getContext('2d')?.getImageData(Math.round((cx - half) * ratio), Math.round((cy - half) * ratio), size, size).data ?? [];
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 200) opaque++;
      return opaque;
    },
    { x: at.x - (map?.x ?? 0), y: at.y - (map?.y ?? 0), size },
  );
}

/** Returns where a map position (display coordinates) is on the page, to click or drag there. */
export async function pagePoint(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId('map').boundingBox();
  const xy = await page.evaluate((p) => window.__gridatlas?.project(p) ?? null, lngLat);
  if (!box || !xy) throw new Error('cannot place a map position on the page');
  return { x: box.x + xy[0], y: box.y + xy[1] };
}

/** Flies to the i-th loaded cell at zoom 16 and waits for the map to draw it still; returns the cell and its centre on the page. */
export async function flyToCell(page: Page, i: number) {
  const cell = await page.evaluate((k) => window.__gridatlas?.cellAt(k) ?? null, i);
  if (!cell) throw new Error('no cell loaded');
  await page.evaluate((p) => window.__gridatlas?.flyTo(p, 16), cell.lngLat);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true && window.__gridatlas?.mapSettled() === true);
  return { cell, centre: await pagePoint(page, cell.lngLat as [number, number]) };
}

/**
 * Opens the grid editor, flies to the i-th loaded cell at zoom 16 and picks it; returns the cell.
 */
export async function pickCellForEditing(page: Page, i: number) {
  await page.getByTestId('edit-open').click();
  await page.getByTestId('grid-edit').waitFor();
  const { cell, centre } = await flyToCell(page, i);
  await page.mouse.click(centre.x, centre.y);
  await page.getByTestId('edit-picked').filter({ hasText: cell.code }).waitFor();
  return cell;
}

/** Acts as another demo member; the cases panel, if open, starts again for them. */
export async function actAs(page: Page, label: string): Promise<void> {
  const select = page.getByTestId('session-select');
  const userId = (await select.locator('option', { hasText: label }).getAttribute('value')) as string;
  await select.selectOption({ label });
  // The menu shows the member once the session has changed (the select is controlled by it).
  await expect(select).toHaveValue(userId);
}

/** Draws a picture of `width` × `height` in the page and returns it encoded as `type` (a camera's photo stands in). */
export async function makeImage(page: Page, width: number, height: number, type: 'image/jpeg' | 'image/png'): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([w, h, t]) => {
      const canvas = new OffscreenCanvas(w, h);
      const g = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
      const sky = g.createLinearGradient(0, 0, w, h);
      sky.addColorStop(0, '#7aa7d9');
      sky.addColorStop(1, '#e8d9a8');
      g.fillStyle = sky;
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#8b3a2b';
      g.fillRect(w * 0.2, h * 0.5, w * 0.6, h * 0.4);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: t, quality: 0.92 })).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    },
    [width, height, type] as const,
  );
  return Buffer.from(base64, 'base64');
}

type Features = { features: { properties: Record<string, string> }[] };

/** Returns the code of a cell of the demo grid worker (the first cell of the first community). */
export async function workerCell(page: Page): Promise<string> {
  const communities = (await (await page.request.get('/demo/communities.geojson')).json()) as Features;
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as Features;
  const community = communities.features[0]?.properties.code;
  const cell = cells.features.find((f) => f.properties.community_code === community)?.properties.code;
  if (!cell) throw new Error('the demo has no cell in its first community');
  return cell;
}

/** Finds a cell by its code in the search box and opens it in the inspector. */
export async function inspectCell(page: Page, code: string): Promise<void> {
  await page.getByTestId('search-input').fill(code);
  await expect(page.getByTestId('search-result').first()).toContainText(code);
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('inspector-code')).toHaveText(code);
}

/** What a phone gives a page: 390 × 844 at twice the pixels, touch, Chinese, China's time zone. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const;

/** Decodes a PNG (a screenshot, a page rendered by pdftoppm) in the page: its size and RGBA pixels, a box of it when given. */
export async function pngPixels(
  page: Page,
  png: Buffer,
  box?: { x: number; y: number; w: number; h: number },
): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate(
    async ({ base64, box }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      const b = box ?? { x: 0, y: 0, w: canvas.width, h: canvas.height };
      return { width: b.w, height: b.h, data: Array.from(context.getImageData(b.x, b.y, b.w, b.h).data) };
    },
    { base64: png.toString('base64'), box },
  );
}

/** Counts the pixels of a PNG in a box that are near an RGB colour, and those in colour (not white, grey or the map's pale ground). */
export async function colourPixels(
  page: Page,
  png: Buffer,
  box: { x: number; y: number; w: number; h: number },
  rgb: [number, number, number],
) {
  const { data } = await pngPixels(page, png, box);
  let near = 0;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
    if (Math.abs(r - rgb[0]) + Math.abs(g - rgb[1]) + Math.abs(b - rgb[2]) < 60) near++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 20) coloured++;
  }
  return { near, coloured, all: data.length / 4 };
}
