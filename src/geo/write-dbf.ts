/** A column of a dBASE table: text (C) or a number (N, whole unless it has decimals). */
export interface DbfField {
  /** At most 10 bytes (longer names are cut). */
  name: string;
  type: 'C' | 'N';
  /** N only: digits after the decimal point (none: whole numbers, rounded). */
  decimals?: number;
}

/**
 * Returns column names as a dBASE table takes them: at most 10 characters, unique regardless of
 * case (a cut name that collides gets a number at its end).
 * @example dbfNames(['occurred_at', 'occurred_at_end']) // ['occurred_a', 'occurred_1']
 */
export function dbfNames(columns: readonly string[]): string[] {
  const taken = new Set<string>();
  return columns.map((c) => {
    let name = c.slice(0, 10);
    for (let n = 1; taken.has(name.toLowerCase()); n++) name = `${c.slice(0, 10 - String(n).length)}${n}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

const encoder = new TextEncoder();

/** Returns the UTF-8 bytes of `text`, cut at a character boundary to at most `max` bytes. */
function cut(text: string, max: number): Uint8Array {
  let bytes = encoder.encode(text);
  if (bytes.length <= max) return bytes;
  let s = text;
  while (bytes.length > max) {
    s = s.slice(0, -1);
    bytes = encoder.encode(s);
  }
  return bytes;
}

/**
 * Returns a dBASE III table (a shapefile's .dbf) with UTF-8 text, as a .cpg of "UTF-8" announces
 * it: each column as wide as its widest value (at most 254 bytes; longer text is cut at a
 * character boundary), text left-aligned and numbers right-aligned, both padded with spaces;
 * null is blank. Numbers are written whole (rounded), or with their column's decimals.
 * @example writeDbf([{ name: 'code', type: 'C' }, { name: 'n', type: 'N' }], [['A1', 3]])
 */
export function writeDbf(fields: readonly DbfField[], rows: readonly (readonly (string | number | null)[])[]): Uint8Array {
  const values = rows.map((r) =>
    fields.map((f, k) => {
      const v = r[k];
      if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return new Uint8Array();
      if (f.type === 'C') return cut(String(v), 254);
      return encoder.encode(f.decimals ? Number(v).toFixed(f.decimals) : String(Math.round(Number(v))));
    }),
  );
  // Each column as wide as its widest value (a loop: a spread over 10⁶ rows would overflow the stack).
  const lengths = fields.map(() => 1);
  for (const r of values)
    r.forEach((v, k) => {
      lengths[k] = Math.min(254, Math.max(lengths[k] as number, v.length));
    });
  const recordLength = 1 + lengths.reduce((n, l) => n + l, 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const view = new DataView(out.buffer);
  const today = new Date();
  out[0] = 0x03;
  out[1] = today.getFullYear() - 1900;
  out[2] = today.getMonth() + 1;
  out[3] = today.getDate();
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  fields.forEach((f, k) => {
    const at = 32 + 32 * k;
    out.set(encoder.encode(f.name).slice(0, 10), at);
    out[at + 11] = f.type.charCodeAt(0);
    out[at + 16] = lengths[k] as number;
    out[at + 17] = f.type === 'N' ? (f.decimals ?? 0) : 0;
  });
  out[headerLength - 1] = 0x0d;
  values.forEach((r, i) => {
    let at = headerLength + recordLength * i;
    out[at++] = 0x20;
    fields.forEach((f, k) => {
      const value = r[k] as Uint8Array;
      const length = lengths[k] as number;
      out.fill(0x20, at, at + length);
      out.set(value, f.type === 'N' ? at + length - value.length : at);
      at += length;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}
