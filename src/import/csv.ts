/** Returns one CSV field, quoted when it holds a comma, quote, or line break (RFC 4180). */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Returns CSV text (header + rows, trailing newline) of the given columns of each row. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[] | readonly string[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField((row as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\n')}\n`;
}
