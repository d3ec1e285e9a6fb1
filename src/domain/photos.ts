/**
 * Photos on cases: the kinds, sizes and limits the database enforces (migration
 * 20261202001900_case_photos), checked again in the browser so that a user hears at once why a
 * file is not taken, and the arithmetic of resizing a photo before it is sent.
 */

import { randomKey } from './random-key';

export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIME_TYPES)[number];

/** Photos one step (a report, an answer …) may carry. */
export const MAX_PHOTOS_PER_STEP = 6;
/** Bytes a stored photo may have (after resizing). */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Longest edge, in pixels, a photo is resized to before it is sent. */
export const PHOTO_MAX_EDGE = 1600;
/** JPEG quality of a resized photo. */
export const PHOTO_JPEG_QUALITY = 0.85;

/** A photo ready to go with a step: resized, with its pixels and bytes. */
export interface PhotoFile {
  name: string;
  mime: PhotoMime;
  width: number;
  height: number;
  bytes: Uint8Array;
}

/** A photo of a case as the database lists it (without its bytes). */
export interface CasePhoto {
  id: string;
  /** The place of the step it came with in the case's trace, from 0 (the report). */
  step: number;
  name: string;
  mime: PhotoMime;
  width: number;
  height: number;
  size: number;
  /** The object's name in the Storage bucket case-photos; null when the database keeps the bytes. */
  storagePath: string | null;
  createdAt: string;
}

/** The size a `width` × `height` image is drawn at so that neither edge exceeds `maxEdge` (never enlarged). */
export function fitWithin(width: number, height: number, maxEdge = PHOTO_MAX_EDGE): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new RangeError(`an image has a size, not ${width} × ${height}`);
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The kind of image the bytes begin as (JPEG, PNG or WebP), or null for anything else. */
export function sniffImageType(bytes: Uint8Array): PhotoMime | null {
  const at = (i: number, values: number[]) => values.every((v, k) => bytes[i + k] === v);
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return null;
}

/** The file name ending Storage keeps a photo of this kind under. */
export const photoExtension = (mime: PhotoMime) => (mime === 'image/jpeg' ? 'jpg' : mime === 'image/png' ? 'png' : 'webp');

/** Bytes as base64 (the database's encoding of a photo sent with a step). */
export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Base64 back to bytes. */
export function base64ToBytes(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The Storage bucket of case photos (made by the migration on Supabase). */
export const CASE_PHOTO_BUCKET = 'case-photos';

/** A new object name for a photo in the user's own folder of the bucket, as the bucket's policy and the database expect: uploads/<user id>/<random uuid>.<ext>. */
export function newPhotoPath(userId: string, mime: PhotoMime): string {
  return `uploads/${userId}/${randomKey()}.${photoExtension(mime)}`;
}

/**
 * Returns the object name of the `place`-th photo (from 1) of a step sent with `key`: the same key
 * and place give the same name, so a step sent again after its answer was lost uploads onto the
 * object it uploaded before instead of leaving that one unused. The name is a UUID (version 8, from
 * SHA-256 of key and place), as the bucket's policy and the database expect; where the platform has
 * no SubtleCrypto (a page served without TLS), a random one.
 * @example await keyedPhotoPath(uid, 'image/jpeg', key, 1) // 'uploads/<uid>/3f1c…-…-8…-…-….jpg', the same every time
 */
export async function keyedPhotoPath(userId: string, mime: PhotoMime, key: string, place: number): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return newPhotoPath(userId, mime);
  const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(`${key}:${place}`)));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `uploads/${userId}/${uuid}.${photoExtension(mime)}`;
}
