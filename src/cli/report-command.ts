import { writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { type AtlasRequest, type AtlasScope, atlasUrl, hotspotLevelOf, type ReportRequest, reportUrl } from '../domain/reports';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { type Command, type CommandResult, UsageError } from './command';
import { serveApp } from './serve-app';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CELL = /^\d{15}$/;
const COMMUNITY = /^\d{12}$/;
/** How long the app may take to boot its database and draw the pages (a new profile: the demo unpacked; an atlas of hundreds of cells). */
const TIMEOUT_MS = 900_000;

/** Returns the pages of a PDF as its page objects count them. */
export function pdfPages(pdf: Uint8Array): number {
  return (new TextDecoder('latin1').decode(pdf).match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** The period options (days, `to` exclusive), checked. */
function periodOf(values: Record<string, string | boolean | undefined>): { from?: string; to?: string } {
  const period: { from?: string; to?: string } = {};
  for (const key of ['from', 'to'] as const) {
    const v = values[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !DAY.test(v) || Number.isNaN(Date.parse(v)))
      throw new UsageError(`--${key} must be a day as YYYY-MM-DD, got "${String(v)}"`);
    period[key] = v;
  }
  if (period.from && period.to && period.from >= period.to)
    throw new UsageError(`--from ${period.from} must come before --to ${period.to}`);
  return period;
}

function outOf(values: Record<string, string | boolean | undefined>): string {
  const out = values.out;
  if (typeof out !== 'string' || out === '') throw new UsageError('--out FILE.pdf is required');
  return out;
}

/** Where the app to print is: a built app served here, or a deployed one, signed in to when it asks. */
type AppTarget = { kind: 'dir'; dir: string } | { kind: 'url'; url: string; email: string | null; password: string | null };

/** The password of `--email`, read from the environment (never from the command line, where others see it). */
export const PASSWORD_ENV = 'GRIDATLAS_PASSWORD';

/** The app the options name: `--url` (a deployment) or `--app DIR` (default dist), and the sign-in for a deployment. */
export function appTargetOf(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv = process.env): AppTarget {
  const email = typeof values.email === 'string' && values.email !== '' ? values.email : null;
  if (values.url !== undefined) {
    if (values.app !== undefined) throw new UsageError('give --url (a deployed app) or --app DIR (a built app), not both');
    let url: URL;
    try {
      url = new URL(String(values.url));
    } catch {
      throw new UsageError(`--url must be the address of a deployed app (http or https), got "${String(values.url)}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--url must be the address of a deployed app (http or https), got "${String(values.url)}"`);
    const password = env[PASSWORD_ENV] ?? null;
    if (email !== null && (password === null || password === ''))
      throw new UsageError(`--email ${email} signs in with the password in ${PASSWORD_ENV}, which is not set`);
    return { kind: 'url', url: url.toString(), email, password };
  }
  if (email !== null)
    throw new UsageError('--email signs in to a deployment given by --url; a built app (--app) opens as the demo administrator');
  return { kind: 'dir', dir: typeof values.app === 'string' ? values.app : 'dist' };
}

/**
 * Opens a deployed app and signs in as a user would when it asks (a deployment on Supabase);
 * returns why it cannot print (null: signed in, or nobody to sign in as on an embedded database).
 */
async function signIn(page: Page, target: Extract<AppTarget, { kind: 'url' }>, progress: (line: string) => void): Promise<string | null> {
  await page.goto(target.url);
  const form = page.getByTestId('sign-in-form');
  const demo = page.getByTestId('session-select');
  const signedIn = page.getByTestId('session-signed-in');
  await form.or(demo).or(signedIn).first().waitFor({ state: 'attached', timeout: TIMEOUT_MS });
  if ((await demo.count()) > 0)
    return target.email === null
      ? null
      : `${target.url} runs on its embedded database (demo members, no sign-in); --email is for a deployment on Supabase`;
  if ((await form.count()) === 0) return null;
  if (target.email === null || target.password === null)
    return `${target.url} asks to sign in: give --email ADDRESS and the password in ${PASSWORD_ENV}`;
  progress(`signing in as ${target.email}`);
  // On a narrow screen the form is in the folded menu.
  if (!(await form.isVisible())) await page.getByTestId('menu-toggle').click();
  await page.getByTestId('sign-in-email').fill(target.email);
  await page.getByTestId('sign-in-password').fill(target.password);
  await form.locator('button[type="submit"]').click();
  const failed = page.getByTestId('sign-in-error');
  await signedIn.or(failed).first().waitFor({ timeout: TIMEOUT_MS });
  if (await failed.isVisible()) return `${target.email}: ${await failed.innerText()}`;
  progress(`signed in as ${(await signedIn.innerText()).trim()}`);
  return null;
}

/**
 * Opens `path(url)` of the app in Debian's Chromium on a new profile (a built app served here, or
 * a deployment signed in to first), lets `ready` wait for the pages (null) or say why there are
 * none (a message), and prints them to `out`.
 */
async function printApp(
  name: string,
  target: AppTarget,
  path: (appUrl: string) => string,
  ready: (page: Page, progress: (line: string) => void) => Promise<string | null>,
  out: string,
): Promise<{ pages: number } | { refused: string }> {
  const progress = (line: string) => process.stderr.write(`${name}: ${line}\n`);
  let server: Awaited<ReturnType<typeof serveApp>> | null = null;
  if (target.kind === 'dir') {
    try {
      server = await serveApp(target.dir);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const appUrl = server?.url ?? (target as Extract<AppTarget, { kind: 'url' }>).url;
  // Playwright is loaded only to print (the other commands run in small heaps).
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.setDefaultTimeout(TIMEOUT_MS);
    if (target.kind === 'url') {
      progress(`opening ${appUrl}`);
      const refused = await signIn(page, target, progress);
      if (refused !== null) return { refused };
    } else progress(`opening ${appUrl} (the database starts in the browser)`);
    await page.goto(path(appUrl));
    const refused = await ready(page, progress);
    if (refused !== null) return { refused };
    await page.evaluate(() => document.fonts.ready);
    progress('printing');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await writeFile(out, pdf);
    return { pages: pdfPages(pdf) };
  } finally {
    await browser.close();
    await server?.close();
  }
}

const APP_HELP = [
  '--from, --to DAY     the period (to exclusive); the year before --to (default: tomorrow) when not given',
  '--app DIR            the built app to render (default dist, made by npm run build); it opens on its',
  '                     embedded database as the demo administrator, as a new browser would',
  '--url URL            a deployed app instead (on Supabase: what the user signed in may read)',
  `--email ADDRESS      who signs in to --url; the password is read from ${PASSWORD_ENV}`,
  'Chromium: CHROMIUM_PATH (default /usr/bin/chromium). Progress goes to stderr.',
];

export const reportCommand: Command = {
  name: 'report',
  summary: "print a cell's, a community's or the district's report (A4 PDF) from the built app in Debian's Chromium",
  usage:
    'report (--cell CODE | --community CODE | --district) --out FILE.pdf [--compare] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--app DIR | --url URL [--email ADDRESS]] [--json]',
  options: {
    cell: { type: 'string' },
    community: { type: 'string' },
    district: { type: 'boolean' },
    compare: { type: 'boolean' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    app: { type: 'string' },
    url: { type: 'string' },
    email: { type: 'string' },
  },
  help: [
    '--cell CODE          a cell (its 15-digit code): its zone report, one page',
    '--community CODE     a community (its 12-digit code): its report, then a table of its cells',
    "--district           the district's report, then a table of its cells",
    '--compare            beside the period of the same length before',
    '--out FILE.pdf       where to write the PDF',
    ...APP_HELP,
  ],
  async run(values): Promise<CommandResult> {
    const code = subjectOf(values);
    const area = code !== values.cell;
    const out = outOf(values);
    const request: ReportRequest = { code, ...periodOf(values), ...(values.compare === true ? { compare: true } : {}) };
    const result = await printApp(
      'report',
      appTargetOf(values),
      (url) => reportUrl(url, request),
      async (page) => {
        const report = page.getByTestId(area ? 'area-report-page' : 'report-page');
        const refused = page.getByTestId(area ? 'area-report' : 'zone-report').getByRole('alert');
        await Promise.race([report.waitFor({ timeout: TIMEOUT_MS }), refused.waitFor({ timeout: TIMEOUT_MS })]);
        return (await refused.isVisible()) ? refused.innerText() : null;
      },
      out,
    );
    const what = area ? (code === 'district' ? 'the district' : `community ${code}`) : `cell ${code}`;
    if ('refused' in result) return { json: { report: code, error: result.refused }, lines: [`${what}: ${result.refused}`], exitCode: 1 };
    return {
      json: {
        report: code,
        out,
        pages: result.pages,
        from: request.from ?? null,
        to: request.to ?? null,
        compare: request.compare === true,
      },
      lines: [`wrote the report of ${what} to ${out} (${result.pages} A4 page${result.pages === 1 ? '' : 's'})`],
      exitCode: 0,
    };
  },
};

/** The report's subject: exactly one of --cell (15 digits), --community (12 digits), --district. */
function subjectOf(values: Record<string, string | boolean | undefined>): string {
  const given = (['cell', 'community', 'district'] as const).filter((k) => values[k] !== undefined && values[k] !== false);
  if (given.length !== 1) throw new UsageError('give exactly one of --cell CODE, --community CODE, --district');
  if (given[0] === 'district') return 'district';
  const code = String(values[given[0] as string]);
  if (given[0] === 'cell' && !CELL.test(code)) throw new UsageError(`--cell must be a 15-digit cell code, got "${code}"`);
  if (given[0] === 'community' && !COMMUNITY.test(code))
    throw new UsageError(`--community must be a 12-digit community code, got "${code}"`);
  return code;
}

/** The scope an atlas's options name: exactly one of --community, --class, --cells, --hotspot. */
function scopeOf(values: Record<string, string | boolean | undefined>): AtlasScope {
  const given = (['community', 'class', 'cells', 'hotspot'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1)
    throw new UsageError('give exactly one of --community CODE, --class A|B|C, --cells CODE,CODE,…, --hotspot 90|95|99');
  const value = String(values[given[0] as string]);
  if (given[0] === 'hotspot') {
    const level = hotspotLevelOf(value);
    if (level === null) throw new UsageError(`--hotspot must be a confidence of 90, 95 or 99 (percent), got "${value}"`);
    return { kind: 'hotspot', level };
  }
  if (given[0] === 'community') {
    if (!COMMUNITY.test(value)) throw new UsageError(`--community must be a 12-digit community code, got "${value}"`);
    return { kind: 'community', code: value };
  }
  if (given[0] === 'class') {
    if (value !== 'A' && value !== 'B' && value !== 'C') throw new UsageError(`--class must be A, B or C, got "${value}"`);
    return { kind: 'class', cls: value };
  }
  const codes = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const bad = codes.find((c) => !CELL.test(c));
  if (codes.length === 0 || bad !== undefined)
    throw new UsageError(`--cells must be 15-digit cell codes separated by commas, got "${bad ?? value}"`);
  return { kind: 'cells', codes: [...new Set(codes)] };
}

export const atlasCommand: Command = {
  name: 'atlas',
  summary: 'print an atlas of cells (cover, summary, contents, a page per cell; A4 PDF) in Chromium',
  usage:
    'atlas (--community CODE | --class A|B|C | --cells CODE,CODE,… | --hotspot 90|95|99) --out FILE.pdf [--from …] [--to …] [--app DIR | --url URL [--email ADDRESS]] [--json]',
  options: {
    community: { type: 'string' },
    class: { type: 'string' },
    cells: { type: 'string' },
    hotspot: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    app: { type: 'string' },
    url: { type: 'string' },
    email: { type: 'string' },
  },
  help: [
    '--community CODE     the cells of a community (its 12-digit code)',
    '--class A|B|C        the cells of a class',
    '--cells CODE,…       the cells named (15-digit codes)',
    "--hotspot 90|95|99   the period's hot spots (Gi* on the cells' events) at this confidence or more",
    '--out FILE.pdf       where to write the PDF',
    ...APP_HELP,
  ],
  async run(values): Promise<CommandResult> {
    const scope = scopeOf(values);
    const out = outOf(values);
    const request: AtlasRequest = { scope, ...periodOf(values) };
    const result = await printApp(
      'atlas',
      appTargetOf(values),
      (url) => atlasUrl(url, request),
      async (page, progress) => {
        const sheet = page.getByTestId('atlas-sheet');
        await sheet.waitFor({ timeout: TIMEOUT_MS });
        const status = page.getByTestId('atlas-progress');
        const started = Date.now();
        let said = '';
        for (;;) {
          if (await page.getByTestId('atlas-sheet').getByRole('alert').isVisible())
            return page.getByTestId('atlas-sheet').getByRole('alert').innerText();
          if ((await sheet.getAttribute('data-ready')) === 'true') {
            if ((await page.getByTestId('atlas-cover').count()) === 0) {
              const none = page.getByTestId('atlas-none');
              return (await none.count()) > 0 ? none.innerText() : status.innerText();
            }
            progress(await status.innerText());
            return null;
          }
          const now = await status.innerText().catch(() => '');
          if (now !== said) progress(now);
          said = now;
          if (Date.now() - started > TIMEOUT_MS) throw new Error(`the atlas was not ready after ${TIMEOUT_MS / 1000} s: ${said}`);
          await page.waitForTimeout(500);
        }
      },
      out,
    );
    if ('refused' in result) return { json: { scope, error: result.refused }, lines: [`atlas: ${result.refused}`], exitCode: 1 };
    return {
      json: { scope, out, pages: result.pages, from: request.from ?? null, to: request.to ?? null },
      lines: [`wrote the atlas to ${out} (${result.pages} A4 pages)`],
      exitCode: 0,
    };
  },
};
