import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/import/csv';

describe('CSV writing', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
  });

  it('neutralises what a spreadsheet would run as a formula, and leaves numbers alone (OWASP CSV injection)', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+cmd|calc')).toBe("'+cmd|calc");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tleading tab')).toBe("'\tleading tab");
    expect(csvField('\rx')).toBe(`"'\rx"`);
    for (const number of ['-12.5', '+3', '-0.5e-3', '112.95', '-.5']) expect(csvField(number)).toBe(number);
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField('张三')).toBe('张三');
  });

  it('neutralises headers too (rejected rows keep the file’s own)', () => {
    expect(toCsv([{ '=x': 1 }], ['=x'])).toBe("'=x\n1\n");
  });
});
