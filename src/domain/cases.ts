import type { CellCode, CommunityCode, LngLat } from './ids';
import type { PhotoFile } from './photos';

/**
 * Cases (案件): the closed loop from report to evaluation. The states, actions and who may take
 * them are decided in SQL (supabase/migrations, case_actions); these are their names and the
 * records the Backend gives.
 */
export const CASE_STATES = [
  'reported',
  'registered',
  'escalated',
  'dispatched',
  'in_progress',
  'answered',
  'closed',
  'evaluated',
  'rejected',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which a case is still open (its stage has a clock). */
export const OPEN_CASE_STATES: readonly CaseState[] = ['reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered'];

export const CASE_ACTIONS = [
  'register',
  'reject',
  'dispatch',
  'escalate',
  'return',
  'start',
  'answer',
  'verify',
  'reopen',
  'evaluate',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Actions that need a reason (a note); the database refuses them without one. */
export const CASE_ACTIONS_NEEDING_NOTE: readonly CaseAction[] = ['reject', 'escalate', 'return', 'answer', 'reopen'];

export const CASE_SOURCES = ['grid_worker', 'hotline', 'complaint', 'camera', 'department', 'sensor'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

const SOURCE_OF_EVENT: Readonly<Record<string, CaseSource>> = {
  grid_worker: 'grid_worker',
  citizen: 'complaint',
  hotline: 'hotline',
  camera: 'camera',
  sensor: 'sensor',
  department: 'department',
};

/** The source of a case made from an event of a source (a citizen's report is a complaint). */
export function caseSourceOfEvent(eventSource: string): CaseSource {
  return SOURCE_OF_EVENT[eventSource] ?? 'grid_worker';
}

/** What a case list is narrowed to; every field optional. */
export interface CaseFilter {
  states?: CaseState[];
  /** Only open cases past their stage's deadline (decided by the database). */
  overdue?: boolean;
  category?: string;
  source?: CaseSource;
  severity?: number;
  cellCode?: CellCode;
  /** A street's (9 digits) or community's (12 digits) code. */
  areaCode?: string;
  departmentId?: string;
  /** Reported at or after (ISO date or time). */
  from?: string;
  /** Reported before. */
  to?: string;
  /** Part of the case's code or description. */
  text?: string;
  /** The member who signed for the case (签收, the assignee while in progress and after). */
  assignee?: string;
  /** Only the cases the user reported or took a step on. */
  mine?: boolean;
  /** 'deadline': open cases first, nearest deadline first (default); 'reported': newest first. */
  sort?: 'deadline' | 'reported';
}

export interface CaseSummary {
  id: string;
  code: string;
  state: CaseState;
  category: string;
  severity: number;
  source: CaseSource;
  cellCode: CellCode | null;
  communityCode: CommunityCode | null;
  departmentId: string | null;
  departmentName: string | null;
  description: string;
  reportedAt: string;
  updatedAt: string;
  deadlineAt: string | null;
  overdue: boolean;
  lngLat: LngLat;
  /** Who signed for it (in progress and after), by name. */
  assigneeName: string | null;
  /** The version the list saw (a step taken from the list is refused if it moved since). */
  version: number;
  proposedDepartmentId: string | null;
}

/** Cases as columns for the map's layer, oldest first. */
export interface CasePoints {
  ids: string[];
  lng: number[];
  lat: number[];
  states: CaseState[];
  overdue: boolean[];
}

export interface CaseList {
  total: number;
  overdue: number;
  rows: CaseSummary[];
}

/** One step of a case's trace. */
export interface CaseStep {
  action: CaseAction | 'report';
  fromState: CaseState | null;
  toState: CaseState;
  actorName: string;
  actorRole: string;
  departmentId: string | null;
  note: string;
  at: string;
  /** The deadline of the stage this step ended. */
  deadlineAt: string | null;
  late: boolean;
}

export interface CaseDetail extends CaseSummary {
  eventId: string | null;
  outsideDistrict: boolean;
  proposedDepartmentId: string | null;
  version: number;
  stageStartedAt: string;
  /** Working hours to the deadline (negative: overdue), counted by the database; null when closed. */
  workingHoursLeft: number | null;
  /** The steps the signed-in user may take now. */
  allowed: CaseAction[];
  trace: CaseStep[];
}

export interface CaseReport {
  source: CaseSource;
  category: string;
  severity: number;
  description: string;
  lngLat: LngLat;
  eventId?: string | null;
  /** Photos taken with the report (at most MAX_PHOTOS_PER_STEP, resized). */
  photos?: readonly PhotoFile[];
  /** The report's key (a random UUID the page made): sent again with it, by the same member, it is the same case. */
  key?: string;
}

/** A department summoned by a whistle (报到): acknowledged, reported, rated. */
export interface WhistleCall {
  id: number;
  departmentId: string;
  departmentName: string;
  ackDeadline: string;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  /** Not acknowledged by the deadline (or late): decided by the database. */
  missed: boolean;
  report: string | null;
  reportedAt: string | null;
  rating: number | null;
  ratingNote: string | null;
  /** The signed-in officer's department is the one summoned. */
  mine: boolean;
}

/** A whistle blown on a case (吹哨): why, by whom, and the departments summoned. */
export interface CaseWhistle {
  id: number;
  note: string;
  blownByName: string;
  blownAt: string;
  calls: WhistleCall[];
}

/** The citizen's rating of a closed complaint at the callback (回访). */
export const COMPLAINT_RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type ComplaintRating = (typeof COMPLAINT_RATINGS)[number];

/** Sources whose cases are complaints (接诉即办): they carry the citizen's contact. */
export const COMPLAINT_SOURCES: readonly CaseSource[] = ['hotline', 'complaint'];

/** A complaint's citizen and what was done with them (name and phone masked for some roles). */
export interface CaseComplainant {
  name: string;
  phone: string;
  masked: boolean;
  /** The first dispatch plus the 'contact' limit in working hours; null until dispatched. */
  contactDeadlineAt: string | null;
  contactedAt: string | null;
  contactedByName: string | null;
  contactNote: string | null;
  /** Contacted after the deadline, or not yet and past it (the database decides). */
  contactLate: boolean | null;
  canContact: boolean;
  canRate: boolean;
  ratings: {
    id: number;
    rating: ComplaintRating;
    solved: boolean;
    note: string;
    reopened: boolean;
    ratedByName: string;
    ratedAt: string;
  }[];
}

/** How the complaint rates and the score are counted (complaint_rate_rules). */
export interface ComplaintRateRules {
  satisfiedWeight: number;
  basicallySatisfiedWeight: number;
  responseWeight: number;
  resolutionWeight: number;
  satisfactionWeight: number;
}

/** The three rates of one department or street in a period, its score and rank. */
export interface ComplaintRateRow {
  key: string;
  name: string;
  complaints: number;
  due: number;
  responded: number;
  rated: number;
  solved: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  score: number | null;
  rank: number | null;
}

export interface ComplaintRates {
  group: 'department' | 'street';
  from: string;
  to: string;
  rules: ComplaintRateRules;
  rows: ComplaintRateRow[];
}

/**
 * A zone's cases for a period (zone_case_figures): per stage a step ended, the steps taken in the
 * period and their median working hours; the complaints reported in the period and the three
 * rates, counted as complaint_rates counts them (null without any).
 */
export interface ZoneCaseFigures {
  from: string;
  to: string;
  stages: Partial<Record<(typeof SCORECARD_STAGES)[number], { steps: number; medianHours: number }>>;
  complaints: number;
  due: number;
  responded: number;
  rated: number;
  solved: number;
  satisfied: number;
  basicallySatisfied: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
}

/** The groups a scorecard is made for, and the rates that may count in its score. */
export const SCORECARD_GROUPS = ['department', 'street', 'worker'] as const;
export type ScorecardGroup = (typeof SCORECARD_GROUPS)[number];
export const SCORECARD_METRICS = [
  'on_time_rate',
  'not_returned_rate',
  'whistle_ack_rate',
  'verify_pass_rate',
  'response_rate',
  'resolution_rate',
  'satisfaction_rate',
] as const;
export type ScorecardMetric = (typeof SCORECARD_METRICS)[number];
/** The stages whose median working hours a scorecard gives (the stage a step ended). */
export const SCORECARD_STAGES = ['reported', 'registered', 'dispatched', 'in_progress', 'answered'] as const;

/** One scorecard of a period (评价考核): what a department, street or grid worker did, and how well. */
export interface Scorecard {
  key: string;
  name: string;
  received: number;
  reported: number;
  answered: number;
  verified: number;
  reopened: number;
  returned: number;
  steps: number;
  onTime: number;
  late: number;
  overdueNow: number;
  medianHours: Partial<Record<(typeof SCORECARD_STAGES)[number], number>>;
  whistleCalls: number;
  whistleAcknowledgedInTime: number;
  whistleMissed: number;
  whistleMeanRating: number | null;
  complaints: number;
  rates: Partial<Record<ScorecardMetric, number>>;
  score: number | null;
  rank: number | null;
}

export interface Scorecards {
  group: ScorecardGroup;
  from: string;
  to: string;
  /** The rates that count in the score and their weights (scorecard_rules). */
  rules: { metric: ScorecardMetric; weight: number }[];
  rows: Scorecard[];
}

/** Open311 GeoReport v2: a service (one per case category). */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

/** Open311 GeoReport v2: a request (a case; its id is the case code, the stage in status_notes). */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  zipcode: string;
  lat: number;
  long: number;
  media_url: string;
}

/** Open311 GeoReport v2 GET requests' query parameters. */
export interface Open311Query {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

export interface Department {
  id: string;
  name: string;
}

/** The stages a time limit may be set for: the states with a deadline, and contacting a complaint's citizen. */
export const CASE_DEADLINE_STAGES = [
  'reported',
  'registered',
  'escalated',
  'dispatched',
  'in_progress',
  'answered',
  'closed',
  'contact',
] as const;

export interface CaseTimeLimit {
  /** '*': any category. */
  category: string;
  /** 0: any severity. */
  severity: number;
  stage: (typeof CASE_DEADLINE_STAGES)[number];
  hours: number;
}

export interface CaseSettings {
  workingTime: { timeZone: string; amStart: string; amEnd: string; pmStart: string; pmEnd: string };
  calendar: { day: string; kind: 'holiday' | 'workday'; name: string }[];
  timeLimits: CaseTimeLimit[];
  routes: { id: number; category: string; areaCode: string; departmentId: string }[];
}
