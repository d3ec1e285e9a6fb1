/** Text encodings a table file may come in: UTF-8, or GBK as Chinese Excel writes CSV. */
export type TextEncodingName = 'utf-8' | 'gbk';

/**
 * Returns the text of a file's bytes and the encoding it was in: UTF-8 when the bytes are valid
 * UTF-8 (a byte-order mark is dropped), otherwise GBK (GB18030-compatible decoding).
 * @example decodeText(new Uint8Array([0xc4, 0xe3, 0xba, 0xc3])) // { text: '你好', encoding: 'gbk' }
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}
