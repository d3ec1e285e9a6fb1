/**
 * Returns a random UUID (version 4) for a key a client makes (a report's, a patrol's, a photo's
 * name). crypto.getRandomValues, not crypto.randomUUID: a phone opening the app on the local
 * network is not a secure context, where randomUUID does not exist.
 */
export function randomKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
