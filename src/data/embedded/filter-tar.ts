const BLOCK = 512;

const text = (bytes: Uint8Array, from: number, length: number) => {
  let end = from;
  while (end < from + length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(from, end));
};

/** Walks the entries of a tar archive: calls `visit` with each path and its bytes (header and data blocks). */
function eachEntry(tar: Uint8Array, visit: (path: string, entry: Uint8Array) => void): void {
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = text(header, 0, 100);
    const prefix = text(header, 257, 5) === 'ustar' ? text(header, 345, 155) : '';
    const path = prefix ? `${prefix}/${name}` : name;
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`tar archive: bad size for "${path}" at byte ${offset}`);
    const length = BLOCK * (1 + Math.ceil(size / BLOCK));
    if (offset + length > tar.length) throw new Error(`tar archive: "${path}" runs past the end of the archive`);
    visit(path, tar.subarray(offset, offset + length));
    offset += length;
  }
}

/** Returns the paths of a tar archive's entries; throws naming an entry that cannot be read. */
export function tarPaths(tar: Uint8Array): string[] {
  const paths: string[] = [];
  eachEntry(tar, (path) => paths.push(path));
  return paths;
}

/**
 * Returns the tar archive (ustar, as PGlite's `dumpDataDir('none')` and its extension bundles
 * are) with only the entries whose path `keep` accepts, byte for byte as they were. Throws on an
 * entry whose size cannot be read or that runs past the archive's end, naming it.
 * @example filterTar(tar, (path) => !path.endsWith('.sql'))
 */
export function filterTar(tar: Uint8Array, keep: (path: string) => boolean): Uint8Array {
  const kept: Uint8Array[] = [];
  eachEntry(tar, (path, entry) => {
    if (keep(path)) kept.push(entry);
  });
  // The end of an archive: two zero blocks.
  kept.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of kept) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A WAL segment file: timeline, log and segment, 8 hex digits each. */
const WAL_SEGMENT = /^\/?pg_wal\/([0-9A-F]{24})$/;

/**
 * Returns whether a data directory's file is worth keeping: anything but a WAL segment outside
 * `[first, last]` (`first` holds the last checkpoint's redo point, `last` is the current one).
 * The others are spare segments PostgreSQL keeps for reuse (min_wal_size, 80 MB by default):
 * nothing reads them, yet a browser would store them and read them back at every start.
 */
export function walSegmentNeeded(path: string, first: string, last: string): boolean {
  const segment = WAL_SEGMENT.exec(path)?.[1];
  return !segment || (segment >= first && segment <= last);
}
