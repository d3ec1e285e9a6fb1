/** The address bar's parameters that open a zone report: the cell, and the period's first and last-but-one day. */
export const REPORT_PARAM = 'report';
/** The parameter that sets a report beside the period before. */
const COMPARE_PARAM = 'compare';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A zone report to open: the cell, the community or the district, and the period (days, `to` exclusive) when given. */
export interface ReportRequest {
  /** A cell's 15-digit code, a community's 12-digit code, or `district`. */
  code: string;
  from?: string;
  to?: string;
  /** Beside the period before it (of the same length): what changed. */
  compare?: boolean;
}

/** What a report's code names: a cell (15 digits), a community (12 digits) or the district; null: nothing. */
export function reportSubjectOf(code: string): 'cell' | 'community' | 'district' | null {
  return /^\d{15}$/.test(code) ? 'cell' : /^\d{12}$/.test(code) ? 'community' : code === 'district' ? 'district' : null;
}

/** Returns the zone report an address opens (`?report=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD`), or null; dates not of that form are left out. */
export function reportRequestOf(href: string): ReportRequest | null {
  const params = new URL(href).searchParams;
  const code = params.get(REPORT_PARAM)?.trim();
  if (!code) return null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    code,
    ...(DAY.test(from) ? { from } : {}),
    ...(DAY.test(to) ? { to } : {}),
    ...(params.get(COMPARE_PARAM) === '1' ? { compare: true } : {}),
  };
}

/** The address of the app at `appUrl` opened on a zone report. */
export function reportUrl(appUrl: string, request: ReportRequest): string {
  const url = new URL(appUrl);
  url.searchParams.set(REPORT_PARAM, request.code);
  if (request.from) url.searchParams.set('from', request.from);
  if (request.to) url.searchParams.set('to', request.to);
  if (request.compare) url.searchParams.set(COMPARE_PARAM, '1');
  return url.toString();
}

/** The address without a zone report's or an atlas's parameters (what the address bar shows once it is closed). */
export function withoutReport(href: string): string {
  const url = new URL(href);
  for (const p of [REPORT_PARAM, ATLAS_PARAM, COMPARE_PARAM, 'from', 'to']) url.searchParams.delete(p);
  return url.toString();
}

/** The parameter that opens an atlas: `community:CODE`, `class:A` or `cells:CODE,CODE,…`. */
export const ATLAS_PARAM = 'atlas';

/** The confidence levels of a hot spot (Gi*), in percent, and the class (1..3) each is. */
export const HOTSPOT_LEVELS = { 90: 1, 95: 2, 99: 3 } as const;
export type HotspotLevel = keyof typeof HOTSPOT_LEVELS;

/**
 * The cells an atlas covers: a community's, a class's, the ones named, or the hot spots of the
 * atlas's period at a confidence of at least `level` percent.
 */
export type AtlasScope =
  | { kind: 'community'; code: string }
  | { kind: 'class'; cls: 'A' | 'B' | 'C' }
  | { kind: 'cells'; codes: string[] }
  | { kind: 'hotspot'; level: HotspotLevel };

/** Returns the hot-spot level a text names ("90", "95", "99"), or null. */
export function hotspotLevelOf(text: string): HotspotLevel | null {
  return text === '90' || text === '95' || text === '99' ? (Number(text) as HotspotLevel) : null;
}

/** An atlas to open: what it covers, and the period (days, `to` exclusive) when given. */
export interface AtlasRequest {
  scope: AtlasScope;
  from?: string;
  to?: string;
}

/** Returns the scope an atlas parameter names, or null when it names none. */
export function atlasScopeOf(value: string): AtlasScope | null {
  const [kind, rest = ''] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1).trim()];
  if (kind === 'community' && rest !== '') return { kind, code: rest };
  if (kind === 'class' && (rest === 'A' || rest === 'B' || rest === 'C')) return { kind, cls: rest };
  const level = hotspotLevelOf(rest);
  if (kind === 'hotspot' && level !== null) return { kind, level };
  const codes = rest
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (kind === 'cells' && codes.length > 0) return { kind, codes: [...new Set(codes)] };
  return null;
}

/** The atlas parameter of a scope. */
export function atlasParam(scope: AtlasScope): string {
  return scope.kind === 'community'
    ? `community:${scope.code}`
    : scope.kind === 'class'
      ? `class:${scope.cls}`
      : scope.kind === 'hotspot'
        ? `hotspot:${scope.level}`
        : `cells:${scope.codes.join(',')}`;
}

/** Returns the atlas an address opens (`?atlas=…&from=…&to=…`), or null. */
export function atlasRequestOf(href: string): AtlasRequest | null {
  const params = new URL(href).searchParams;
  const scope = atlasScopeOf(params.get(ATLAS_PARAM) ?? '');
  if (!scope) return null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return { scope, ...(DAY.test(from) ? { from } : {}), ...(DAY.test(to) ? { to } : {}) };
}

/** The address of the app at `appUrl` opened on an atlas. */
export function atlasUrl(appUrl: string, request: AtlasRequest): string {
  const url = new URL(appUrl);
  url.searchParams.set(ATLAS_PARAM, atlasParam(request.scope));
  if (request.from) url.searchParams.set('from', request.from);
  if (request.to) url.searchParams.set('to', request.to);
  return url.toString();
}

/**
 * The codes of the cells an atlas covers, of the cells given, in code order (named cells that are
 * not there are left out). A hot-spot scope takes the period's hot-spot classes (none: no cell).
 */
export function cellsInScope(
  cells: readonly { code: string; communityCode: string; class: string }[],
  scope: AtlasScope,
  hotspots: ReadonlyMap<string, { hotspot: number }> | null = null,
): string[] {
  const named = scope.kind === 'cells' ? new Set(scope.codes) : null;
  const inScope = (c: { code: string; communityCode: string; class: string }) => {
    switch (scope.kind) {
      case 'community':
        return c.communityCode === scope.code;
      case 'class':
        return c.class === scope.cls;
      case 'hotspot':
        return (hotspots?.get(c.code)?.hotspot ?? 0) >= HOTSPOT_LEVELS[scope.level];
      case 'cells':
        return named?.has(c.code) === true;
    }
  };
  return cells
    .filter(inScope)
    .map((c) => c.code)
    .sort();
}

/** The most cells an atlas takes (a page each). */
export const ATLAS_MAX_CELLS = 1000;

/** Rows of the table of contents on a page. */
export const TOC_ROWS = 40;

/**
 * The pages of an atlas of `cells` cells, one a page: the cover (1), the summary with the overview
 * map (2), the table of contents, then the cells.
 */
export function atlasLayout(cells: number, tocRows = TOC_ROWS): { tocPages: number; firstCellPage: number; pages: number } {
  const tocPages = Math.max(1, Math.ceil(cells / tocRows));
  return { tocPages, firstCellPage: 3 + tocPages, pages: 2 + tocPages + cells };
}
