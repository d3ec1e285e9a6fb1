/** Returns a byte count as a short human string (KB / MB). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} KB`;
  return `${bytes} B`;
}

/** Returns a number with thousands separators in the UI's language. */
export function formatCount(n: number, language: string): string {
  return new Intl.NumberFormat(language).format(n);
}

/** Returns the day (YYYY-MM-DD) a time falls on in the browser's time zone, where the period's days were picked. */
export function localDay(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Returns a rate (0..1) as a percent with one decimal in the UI's language; a dash for none. */
export function formatPercent(v: number | null | undefined, language: string): string {
  return v === null || v === undefined ? '—' : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(v);
}

/** Returns a timestamp as local date and time in the UI's language (China Standard Time). */
export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}

/** Returns items as a list in the UI's language: 甲、乙、丙 in Chinese, "a, b, c" in English. */
export function formatList(items: readonly string[], language: string): string {
  return items.join(language.startsWith('zh') ? '、' : ', ');
}

/** Formats a moment of the time window (China Standard Time), with the hour when stepping by hours. */
export const formatTime = (ms: number, language: string, hours: boolean) =>
  new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(hours ? { hour: '2-digit', minute: '2-digit' } : {}),
    timeZone: 'Asia/Shanghai',
  }).format(new Date(ms));

/**
 * Returns how far `ms` is from `now` in the UI's language, in the largest unit that reads well:
 * "3 小时后" / "in 3 hours", "2 天前" / "2 days ago" (minutes under 90 minutes, hours under 48 hours,
 * days beyond).
 */
export function formatRelative(ms: number, now: number, language: string): string {
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'always' });
  const minutes = (ms - now) / 60_000;
  const size = Math.abs(minutes);
  if (size < 90) return format.format(Math.round(minutes), 'minute');
  if (size < 48 * 60) return format.format(Math.round(minutes / 60), 'hour');
  return format.format(Math.round(minutes / 1440), 'day');
}

/** A change with its sign ("+3", "−2", "0"), to one decimal. */
export function signed(v: number, language: string): string {
  const rounded = Math.round(v * 10) / 10;
  return rounded > 0 ? `+${formatCount(rounded, language)}` : rounded < 0 ? `−${formatCount(-rounded, language)}` : '0';
}

/** A figure of a comparison or report: counts with separators, hours to one decimal, the risk index to two; a dash for none. */
export function formatFigure(v: number | null | undefined, metric: string | undefined, language: string): string {
  if (v === null || v === undefined) return '—';
  if (metric === 'medianHandlingHours') return v.toFixed(1);
  if (metric === 'riskIndex') return v.toFixed(2);
  return formatCount(v, language);
}
