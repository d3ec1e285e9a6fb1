import * as Comlink from 'comlink';
import { fitWithin, MAX_PHOTO_BYTES, PHOTO_JPEG_QUALITY, PHOTO_MAX_EDGE, type PhotoFile } from '../domain/photos';

/**
 * Decodes an image file (turned upright by its EXIF orientation), draws it at most
 * PHOTO_MAX_EDGE pixels on its longest edge onto white (PNGs may be transparent) and encodes it
 * as JPEG, lowering the quality if it would still exceed MAX_PHOTO_BYTES. Fails with a message
 * beginning not-an-image: or too-large: (errors cross to the page as messages only).
 */
async function resize(file: Blob, name: string): Promise<PhotoFile> {
  let image: ImageBitmap;
  try {
    image = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new Error(`not-an-image:${name}`);
  }
  const size = fitWithin(image.width, image.height, PHOTO_MAX_EDGE);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw in a worker');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, size.width, size.height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(image, 0, 0, size.width, size.height);
  image.close();
  for (const quality of [PHOTO_JPEG_QUALITY, 0.7, 0.55, 0.4]) {
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
    if (blob.size <= MAX_PHOTO_BYTES) {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      return Comlink.transfer(
        { name: `${name.replace(/\.[^.]*$/, '')}.jpg`, mime: 'image/jpeg', width: size.width, height: size.height, bytes },
        [bytes.buffer],
      );
    }
  }
  throw new Error(`too-large:${name}`);
}

const api = { resize };
export type PhotoWorkerApi = typeof api;
Comlink.expose(api);
