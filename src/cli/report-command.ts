import { writeFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { type ReportRequest, reportUrl } from '../domain/reports';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { type Command, UsageError } from './command';
import { serveApp } from './serve-app';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** How long the app may take to boot its database and draw the report (a new profile: the demo unpacked). */
const TIMEOUT_MS = 300_000;

/** Returns the pages of a PDF as its page objects count them. */
export function pdfPages(pdf: Uint8Array): number {
  return (new TextDecoder('latin1').decode(pdf).match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

export const reportCommand: Command = {
  name: 'report',
  summary: "print a cell's zone report (A4 PDF) from the built app in Debian's Chromium",
  usage: 'report --cell CODE --out FILE.pdf [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--app DIR] [--json]',
  options: { cell: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, app: { type: 'string' } },
  help: [
    '--cell CODE          the cell (its 15-digit code)',
    '--out FILE.pdf       where to write the PDF',
    '--from, --to DAY     the period (to exclusive); the year before --to (default: tomorrow) when not given',
    '--app DIR            the built app to render (default dist, made by npm run build); it opens on its',
    '                     embedded database as the demo administrator, as a new browser would',
    'Chromium: CHROMIUM_PATH (default /usr/bin/chromium). Progress goes to stderr.',
  ],
  async run(values) {
    const code = values.cell;
    if (typeof code !== 'string' || !/^\d{15}$/.test(code))
      throw new UsageError(`--cell must be a 15-digit cell code, got "${String(code ?? '')}"`);
    const out = values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('--out FILE.pdf is required');
    const request: ReportRequest = { code };
    for (const key of ['from', 'to'] as const) {
      const v = values[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !DAY.test(v) || Number.isNaN(Date.parse(v)))
        throw new UsageError(`--${key} must be a day as YYYY-MM-DD, got "${String(v)}"`);
      request[key] = v;
    }
    if (request.from && request.to && request.from >= request.to)
      throw new UsageError(`--from ${request.from} must come before --to ${request.to}`);
    const progress = (line: string) => process.stderr.write(`report: ${line}\n`);
    let server: Awaited<ReturnType<typeof serveApp>>;
    try {
      server = await serveApp(typeof values.app === 'string' ? values.app : 'dist');
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      progress(`opening ${server.url} (the database starts in the browser)`);
      await page.goto(reportUrl(server.url, request));
      const report = page.getByTestId('report-page');
      const refused = page.getByTestId('zone-report').getByRole('alert');
      await Promise.race([report.waitFor({ timeout: TIMEOUT_MS }), refused.waitFor({ timeout: TIMEOUT_MS })]);
      if (await refused.isVisible())
        return {
          json: { cell: code, error: await refused.innerText() },
          lines: [`cell ${code}: ${await refused.innerText()}`],
          exitCode: 1,
        };
      await page.evaluate(() => document.fonts.ready);
      progress('printing');
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      await writeFile(out, pdf);
      const pages = pdfPages(pdf);
      return {
        json: { cell: code, out, pages, from: request.from ?? null, to: request.to ?? null },
        lines: [`wrote the zone report of ${code} to ${out} (${pages} A4 page${pages === 1 ? '' : 's'})`],
        exitCode: 0,
      };
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
