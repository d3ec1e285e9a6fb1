/**
 * Draws the app's icons for the web app manifest (home screen, app switcher) from the favicon's
 * design in Debian's Chromium: 192 and 512 pixels, a maskable 512 (the glyph inside the 80 %
 * safe zone on a full-bleed background, as Android crops it) and Apple's 180. Run after
 * changing public/favicon.svg: `npx tsx scripts/make-icons.ts`.
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

const svg = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const out = (name: string) => new URL(`../public/icons/${name}`, import.meta.url).pathname;

const icons = [
  { name: 'icon-192.png', size: 192, maskable: false },
  { name: 'icon-512.png', size: 512, maskable: false },
  { name: 'maskable-512.png', size: 512, maskable: true },
  { name: 'apple-touch-icon-180.png', size: 180, maskable: true },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
    // Maskable: the background fills the square; the glyph keeps to the middle 80 %.
    const inset = icon.maskable ? Math.round(icon.size * 0.1) : 0;
    await page.setContent(
      `<html><body style="margin:0;background:${icon.maskable ? '#3b2f63' : 'transparent'}">
         <div style="position:absolute;inset:${inset}px">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div>
       </body></html>`,
    );
    await page.screenshot({ path: out(icon.name), omitBackground: !icon.maskable });
    await page.close();
    console.log(`public/icons/${icon.name}: ${icon.size} × ${icon.size}`);
  }
} finally {
  await browser.close();
}
