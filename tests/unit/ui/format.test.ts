import { describe, expect, it } from 'vitest';
import { formatRelative } from '../../../src/ui/format';

describe('a time relative to now', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const at = (minutes: number) => now + minutes * 60_000;
  it('reads in minutes under 90 minutes, hours under 48 hours, days beyond, either way', () => {
    expect(formatRelative(at(45), now, 'zh-CN')).toBe('45分钟后');
    expect(formatRelative(at(-89), now, 'zh-CN')).toBe('89分钟前');
    expect(formatRelative(at(3 * 60), now, 'zh-CN')).toBe('3小时后');
    expect(formatRelative(at(-47 * 60), now, 'zh-CN')).toBe('47小时前');
    expect(formatRelative(at(-3 * 1440), now, 'zh-CN')).toBe('3天前');
    expect(formatRelative(at(3 * 60), now, 'en')).toBe('in 3 hours');
    expect(formatRelative(at(-2 * 1440), now, 'en')).toBe('2 days ago');
  });
});
