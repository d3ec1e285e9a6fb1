import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  fitWithin,
  keyedPhotoPath,
  MAX_PHOTO_BYTES,
  newPhotoPath,
  PHOTO_MAX_EDGE,
  photoExtension,
  sniffImageType,
} from '../../../src/domain/photos';
import { JPEG_1PX, PNG_1PX } from '../../fixtures/photos';

describe('photos', () => {
  it('fits a photo within the longest edge, keeping its shape, never enlarging it', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: PHOTO_MAX_EDGE, height: 1200 });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: PHOTO_MAX_EDGE });
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(10000, 10, 1600)).toEqual({ width: 1600, height: 2 });
    expect(fitWithin(100000, 1, 1600)).toEqual({ width: 1600, height: 1 });
    expect(() => fitWithin(0, 10)).toThrow(/not 0 × 10/);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 1, max: 20000 }), (w, h) => {
        const fit = fitWithin(w, h);
        expect(Math.max(fit.width, fit.height)).toBeLessThanOrEqual(Math.max(PHOTO_MAX_EDGE, 1));
        expect(fit.width).toBeLessThanOrEqual(w);
        expect(fit.height).toBeLessThanOrEqual(h);
        if (Math.max(w, h) <= PHOTO_MAX_EDGE) expect(fit).toEqual({ width: w, height: h });
        // The shape is kept: each edge within half a pixel of the exact scale (a pixel at least).
        const scale = Math.min(1, PHOTO_MAX_EDGE / Math.max(w, h));
        expect(Math.abs(fit.width - Math.max(1, w * scale))).toBeLessThanOrEqual(0.5);
        expect(Math.abs(fit.height - Math.max(1, h * scale))).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('tells JPEG, PNG and WebP by their first bytes, and nothing else', () => {
    expect(sniffImageType(base64ToBytes(JPEG_1PX))).toBe('image/jpeg');
    expect(sniffImageType(base64ToBytes(PNG_1PX))).toBe('image/png');
    const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50]);
    expect(sniffImageType(webp)).toBe('image/webp');
    const wav = webp.slice();
    wav.set([0x57, 0x41, 0x56, 0x45], 8);
    expect(sniffImageType(wav)).toBeNull();
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffImageType(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(photoExtension('image/webp')).toBe('webp');
  });

  it('turns bytes into base64 and back, in slices for large photos', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
      }),
    );
    const large = new Uint8Array(MAX_PHOTO_BYTES).map((_, i) => (i * 7919) % 251);
    expect(bytesToBase64(large)).toBe(Buffer.from(large).toString('base64'));
  });

  it('names an upload in the user’s own folder with a fresh v4 uuid', () => {
    const user = '00000000-0000-4000-8000-000000000003';
    const a = newPhotoPath(user, 'image/jpeg');
    expect(a).toMatch(new RegExp(`^uploads/${user}/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.jpg$`));
    expect(newPhotoPath(user, 'image/png')).toMatch(/\.png$/);
    expect(newPhotoPath(user, 'image/jpeg')).not.toBe(a);
  });
});

describe('keyedPhotoPath', () => {
  const user = '00000000-0000-4000-8000-000000000003';
  const key = '6f1f7c1e-1c2a-4b7e-9d3f-0a1b2c3d4e5f';
  // What the database and the bucket's policy take as an upload's name (migration 20261202001900).
  const upload = new RegExp(`^uploads/${user}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(jpg|png|webp)$`);

  it('gives the same name for the same key and place, every time', async () => {
    const a = await keyedPhotoPath(user, 'image/jpeg', key, 1);
    expect(await keyedPhotoPath(user, 'image/jpeg', key, 1)).toBe(a);
    expect(a).toMatch(upload);
  });

  it('gives another name for another place or key, in the form the database takes', async () => {
    const names = new Set(
      await Promise.all([
        keyedPhotoPath(user, 'image/jpeg', key, 1),
        keyedPhotoPath(user, 'image/jpeg', key, 2),
        keyedPhotoPath(user, 'image/jpeg', '6f1f7c1e-1c2a-4b7e-9d3f-0a1b2c3d4e60', 1),
      ]),
    );
    expect(names.size).toBe(3);
    expect(await keyedPhotoPath(user, 'image/png', key, 2)).toMatch(/\.png$/);
    for (const n of names) expect(n).toMatch(upload);
  });
});
