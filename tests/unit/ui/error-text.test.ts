import { describe, expect, it } from 'vitest';
import { BackendError } from '../../../src/data/backend';
import { en } from '../../../src/i18n/en';
import { zhCN } from '../../../src/i18n/zh-CN';
import { errorText } from '../../../src/ui/error-text';

/** A translation function over one catalogue (nested keys with dots). */
const tOf = (catalogue: object) => (key: string) =>
  String(key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalogue) ?? key);

describe('errorText', () => {
  it('names a database refusal in the user’s language, then what it says', () => {
    const refused = new BackendError('forbidden', 'only grid administrators may apply rule sets');
    expect(errorText(tOf(zhCN), refused)).toBe('无权访问: only grid administrators may apply rule sets');
    expect(errorText(tOf(en), refused)).toMatch(/^[A-Z][^:]+: only grid administrators/);
  });

  it('says what to do without a network, not the browser’s words for it', () => {
    const down = new BackendError('unavailable', 'no connection to the server (my_cells): TypeError: Failed to fetch');
    expect(errorText(tOf(zhCN), down)).toBe('无法连接服务器：请检查网络，联网后会自动重试。');
    expect(errorText(tOf(en), down)).toMatch(/^Cannot reach the server/);
  });

  it('gives other errors as they are, also plain objects sent by workers', () => {
    expect(errorText(tOf(zhCN), new Error('文件不是 CSV'))).toBe('文件不是 CSV');
    expect(errorText(tOf(zhCN), { message: 'worker failed' })).toBe('worker failed');
    expect(errorText(tOf(zhCN), 'plain')).toBe('plain');
  });
});
