/** The address bar's parameters that open a zone report: the cell, and the period's first and last-but-one day. */
export const REPORT_PARAM = 'report';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A zone report to open: the cell, and the period (days, `to` exclusive) when given. */
export interface ReportRequest {
  code: string;
  from?: string;
  to?: string;
}

/** Returns the zone report an address opens (`?report=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD`), or null; dates not of that form are left out. */
export function reportRequestOf(href: string): ReportRequest | null {
  const params = new URL(href).searchParams;
  const code = params.get(REPORT_PARAM)?.trim();
  if (!code) return null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return { code, ...(DAY.test(from) ? { from } : {}), ...(DAY.test(to) ? { to } : {}) };
}

/** The address of the app at `appUrl` opened on a zone report. */
export function reportUrl(appUrl: string, request: ReportRequest): string {
  const url = new URL(appUrl);
  url.searchParams.set(REPORT_PARAM, request.code);
  if (request.from) url.searchParams.set('from', request.from);
  if (request.to) url.searchParams.set('to', request.to);
  return url.toString();
}

/** The address without a zone report's parameters (what the address bar shows once it is closed). */
export function withoutReport(href: string): string {
  const url = new URL(href);
  for (const p of [REPORT_PARAM, 'from', 'to']) url.searchParams.delete(p);
  return url.toString();
}
