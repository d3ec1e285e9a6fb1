import * as Comlink from 'comlink';
import type { PhotoFile } from '../domain/photos';
import type { PhotoWorkerApi } from './photo.worker';

/** Why a file was not taken as a photo: not an image the browser can read, or too large even resized. */
export type PhotoRefusal = 'not-an-image' | 'too-large';

/**
 * Resizes image files into photos in a worker, one after the other: each photo made goes to
 * `onPhoto`, each file that cannot be one to `onRefused` with the reason, and the next file is
 * taken either way. Rejects only when the worker itself fails.
 */
export async function resizePhotos(
  files: readonly File[],
  onPhoto: (photo: PhotoFile) => void,
  onRefused: (file: File, reason: PhotoRefusal) => void,
): Promise<void> {
  const worker = new Worker(new URL('./photo.worker.ts', import.meta.url), { type: 'module', name: 'gridatlas-photos' });
  const api = Comlink.wrap<PhotoWorkerApi>(worker);
  try {
    for (const file of files) {
      try {
        onPhoto(await api.resize(file, file.name));
      } catch (error) {
        const reason = /not-an-image/.test(String(error)) ? 'not-an-image' : /too-large/.test(String(error)) ? 'too-large' : null;
        if (!reason) throw error;
        onRefused(file, reason);
      }
    }
  } finally {
    worker.terminate();
  }
}
