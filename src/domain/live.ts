import type { BBox, CellClass, LngLat } from './ids';

/** One line of the live feed: an event recorded, a case's step, a whistle blown. */
export interface LiveFeedItem {
  kind: 'event' | 'case' | 'whistle';
  /** The event's id, the trace row's or the whistle's (unique within its kind). */
  id: string;
  /** When it happened (ISO 8601). */
  at: string;
  category: string;
  severity: number;
  cellCode: string | null;
  caseId: string | null;
  caseCode: string | null;
  /** A case step's action (report, dispatch, …), 'whistle', or null for an event. */
  action: string | null;
  /** The event's status or the case's state after the step. */
  state: string;
  lngLat: LngLat;
}

/** A cell among those of the highest risk index now. */
export interface LiveTopCell {
  code: string;
  name: string;
  class: CellClass;
  communityName: string | null;
  /** As the inspector shows it: the last 90 days' events by severity, halved every 30 days, plus hazard sites, per km². */
  riskIndex: number;
  events: number;
  hazardSites: number;
  lngLat: LngLat;
}

/** The command centre's "now": counters, the cells of highest risk and the latest changes, of what the caller may read. */
export interface LiveNow {
  asOf: string;
  dayStart: string;
  monthStart: string;
  eventsToday: number;
  casesToday: number;
  openCases: number;
  openByClass: Record<CellClass | 'none', number>;
  /** Open cases past their deadline, by state. */
  overdueByStage: Partial<Record<string, number>>;
  whistlesAwaiting: number;
  whistlesMissed: number;
  complaintRates: { complaints: number; responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null };
  topCells: LiveTopCell[];
  feed: LiveFeedItem[];
}

/** A street's figures on the wall screen, of what the caller may read. */
export interface LiveStreet {
  code: string;
  name: string;
  bbox: BBox;
  cells: number;
  cellsA: number;
  openCases: number;
  /** Open cases past their deadline. */
  overdue: number;
  eventsToday: number;
  /** Events of the last 7 days. */
  eventsWeek: number;
  /** The street's cell of highest risk index (as the inspector shows it), or null. */
  topCell: { code: string; name: string; class: CellClass; riskIndex: number } | null;
}

/** One of a grid worker's own cells, with what they plan their day by (my_cells). */
export interface MyCell {
  code: string;
  name: string;
  class: CellClass | null;
  communityName: string | null;
  bbox: BBox;
  /** A point inside the cell. */
  lngLat: LngLat;
  openCases: number;
  /** Open cases past their deadline. */
  overdue: number;
  /** The nearest deadline of its open cases, or null. */
  nextDeadline: string | null;
  /** Events of the last 7 days. */
  eventsWeek: number;
  lastEventAt: string | null;
  riskIndex: number;
  lastPatrol: { startedAt: string; endedAt: string | null; workerName: string } | null;
}

/** Returns the key of a feed item, unique across kinds (for telling the new ones). */
export const feedKey = (item: Pick<LiveFeedItem, 'kind' | 'id'>) => `${item.kind}:${item.id}`;

/**
 * Returns the items of `next` that `previous` did not have, newest first: what the live view
 * highlights. Nothing is new on the first load (previous null).
 */
export function newFeedItems(previous: readonly LiveFeedItem[] | null, next: readonly LiveFeedItem[]): LiveFeedItem[] {
  if (!previous) return [];
  const known = new Set(previous.map(feedKey));
  // An item older than everything the previous feed held fell off its end, and is not new.
  const oldest = previous.length > 0 ? Math.min(...previous.map((i) => Date.parse(i.at))) : Number.NEGATIVE_INFINITY;
  return next.filter((i) => !known.has(feedKey(i)) && Date.parse(i.at) >= oldest);
}

/** What an alert rule watches (README: "实时态势", alerts). */
export const ALERT_KINDS = ['cell_events', 'category_events', 'cell_risk', 'case_overdue', 'hotspot_new', 'hotspot_intensifying'] as const;
/** Alert kinds on a cell turning a hot spot (Gi* over the window against the window before); their threshold is the least class, 1 to 3. */
export const HOTSPOT_ALERT_KINDS: readonly AlertKind[] = ['hotspot_new', 'hotspot_intensifying'];
export type AlertKind = (typeof ALERT_KINDS)[number];

/** A threshold the command centre set. */
export interface AlertRule {
  id: number;
  kind: AlertKind;
  /** Events counted, the risk index, hours overdue, or the least hot-spot class (1 to 3), by kind. */
  threshold: number;
  /** The window events are counted in, and the time before the same subject is alerted again. */
  windowHours: number;
  category: string | null;
  active: boolean;
}

/** An alert raised by the database, open until acknowledged; `figures` say why. */
export interface Alert {
  id: number;
  ruleId: number;
  kind: AlertKind;
  /** A cell's code, a category or a case's id. */
  subject: string;
  cellCode: string | null;
  caseId: string | null;
  figures: {
    threshold: number;
    events?: number;
    windowHours?: number;
    category?: string | null;
    cellName?: string;
    riskIndex?: number;
    hazardSites?: number;
    caseCode?: string;
    state?: string;
    hoursOverdue?: number;
    /** Hot spots: the trend, and the Gi* class and z-score of the window before and of this one. */
    trend?: 'new' | 'intensifying';
    classBefore?: number;
    classAfter?: number;
    zBefore?: number;
    zAfter?: number;
    eventsBefore?: number;
  };
  raisedAt: string;
  lngLat: LngLat | null;
}

/** The open alerts (after the database raised what its rules say now) and the rules. */
export interface AlertsNow {
  raised: number;
  open: number;
  alerts: Alert[];
  rules: AlertRule[];
}

/** A position a phone gave during a patrol: [longitude, latitude, epoch milliseconds] (WGS-84). */
export type PatrolPosition = [number, number, number];

/** A grid worker's patrol of a cell (巡查). */
export interface Patrol {
  id: string;
  cellCode: string;
  workerName: string;
  startedAt: string;
  /** Null while under way. */
  endedAt: string | null;
  note: string;
  /** Positions recorded. */
  positions: number;
  minutes: number;
  /** Length of the track, geodesic. */
  lengthMeters: number;
  track: LngLat[] | null;
}
