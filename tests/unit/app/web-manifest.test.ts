import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const publicFile = (path: string) => new URL(`../../../public${path}`, import.meta.url);

/** A PNG's pixel size from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

interface Manifest {
  name: string;
  short_name: string;
  lang: string;
  start_url: string;
  display: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

describe('the web app manifest (installed on a phone’s home screen)', () => {
  const manifest = JSON.parse(readFileSync(publicFile('/manifest.webmanifest'), 'utf8')) as Manifest;
  const html = readFileSync(new URL('../../../index.html', import.meta.url), 'utf8');

  it('names the app in Chinese, starts standalone at the root, and the page links it', () => {
    expect(manifest).toMatchObject({
      name: '网格图谱 GridAtlas',
      short_name: '网格图谱',
      lang: 'zh-CN',
      start_url: '/',
      display: 'standalone',
    });
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest" />');
    expect(html).toContain(`<meta name="theme-color" content="${manifest.theme_color}" />`);
  });

  it('every icon exists with the size it states; 192 and 512, and a maskable one, as installers ask', () => {
    for (const icon of manifest.icons.filter((i) => i.type === 'image/png')) {
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(pngSize(readFileSync(publicFile(icon.src)))).toEqual({ width: w, height: h });
    }
    const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    const apple = /<link rel="apple-touch-icon" href="([^"]+)"/.exec(html)?.[1] as string;
    expect(pngSize(readFileSync(publicFile(apple)))).toEqual({ width: 180, height: 180 });
  });
});
