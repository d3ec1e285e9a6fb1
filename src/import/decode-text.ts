/** Text encodings a table file may come in: UTF-8, or GBK as Chinese Excel writes CSV. */
export type TextEncodingName = 'utf-8' | 'gbk';

/** The encodings a user may choose over the guess (the CLI's --encoding, the import dialog). */
export const TEXT_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'gbk'];

/** Returns the encoding `name` names (utf8, UTF-8, GB2312, gb18030 …), or null. */
export function textEncodingNamed(name: string): TextEncodingName | null {
  const n = name.trim().toLowerCase().replace(/[-_ ]/g, '');
  if (n === 'utf8') return 'utf-8';
  if (n === 'gbk' || n === 'gb2312' || n === 'gb18030' || n === 'cp936') return 'gbk';
  return null;
}

/**
 * Returns the share of a text's characters that a Chinese table plausibly holds: ASCII, CJK
 * ideographs, CJK punctuation and full-width forms. GBK bytes read as UTF-8 (or the other way
 * round) turn into Hebrew, Greek, Latin accents or rare ideographs instead.
 */
function plausibility(text: string): number {
  let plausible = 0;
  let total = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    total++;
    if (c < 0x80 || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || c === 0xb7) plausible++;
  }
  return total === 0 ? 1 : plausible / total;
}

/**
 * Returns the text of a file's bytes and the encoding it was in. Bytes that are not valid UTF-8
 * are GBK (GB18030-compatible decoding). Bytes that are valid UTF-8 may still be GBK (郑伟 in GBK
 * is valid UTF-8 for two Hebrew and Greek letters): when they hold more than ASCII, the reading
 * whose characters are the more plausible for a Chinese table wins (UTF-8 on a tie; judged on
 * the first 64 kB). A
 * byte-order mark is dropped, also before GBK text (an editor may add one).
 * `chosen` (the user's choice) overrides the guess.
 * @example decodeText(new Uint8Array([0xc4, 0xe3, 0xba, 0xc3])) // { text: '你好', encoding: 'gbk' }
 */
export function decodeText(bytes: Uint8Array, chosen?: TextEncodingName): { text: string; encoding: TextEncodingName } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const gbk = () => new TextDecoder('gbk').decode(body);
  if (chosen) return { text: chosen === 'gbk' ? gbk() : new TextDecoder('utf-8').decode(body), encoding: chosen };
  let utf8: string;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { text: gbk(), encoding: 'gbk' };
  }
  return guessEncoding(body.subarray(0, SAMPLE_BYTES), body.length <= SAMPLE_BYTES) === 'gbk'
    ? { text: gbk(), encoding: 'gbk' }
    : { text: utf8, encoding: 'utf-8' };
}

/** How much of a file its encoding is judged on, so that a large file is not decoded twice to be read once. */
export const SAMPLE_BYTES = 65_536;

/**
 * Returns the encoding the first bytes of a file (after any byte-order mark) suggest: GBK when
 * they are not valid UTF-8 (a multi-byte character cut at the sample's end aside, unless
 * `whole`), else the more plausible reading for a Chinese table (UTF-8 on a tie).
 */
export function guessEncoding(sample: Uint8Array, whole: boolean): TextEncodingName {
  // A sample of a longer file may end inside a character: end it after its last ASCII byte, a
  // character boundary in UTF-8 and in GBK alike, so that neither reading is judged on a torn one.
  let end = sample.length;
  if (!whole) while (end > 0 && (sample[end - 1] as number) >= 0x80) end--;
  const judged = end > 0 ? sample.subarray(0, end) : sample;
  if (!judged.some((b) => b >= 0x80)) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(judged);
  } catch {
    return 'gbk';
  }
  const asUtf8 = new TextDecoder('utf-8').decode(judged);
  const asGbk = new TextDecoder('gbk').decode(judged);
  return plausibility(asGbk) > plausibility(asUtf8) ? 'gbk' : 'utf-8';
}
