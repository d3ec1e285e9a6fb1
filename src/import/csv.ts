/** A text a spreadsheet would run as a formula: it starts with =, +, -, @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number, which a spreadsheet reads as a number whatever its sign. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Returns one CSV field, quoted when it holds a comma, quote, or line break (RFC 4180). A text
 * that a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first; CSV
 * injection) gets a leading apostrophe, as OWASP recommends; numbers, and texts that are plain
 * numbers such as "-12.5", stay as they are.
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value !== 'number' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Returns CSV text (header + rows, trailing newline) of the given columns of each row; every field through csvField. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[] | readonly string[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField((row as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\n')}\n`;
}
