import type { CellClass } from './ids';

/** The five stages of whole-process risk governance, in order (the law paper's). */
export const GOVERNANCE_STAGES = ['identify', 'assess', 'classify', 'decide', 'carryOut'] as const;
export type GovernanceStage = (typeof GOVERNANCE_STAGES)[number];

/** A category's place in the risk × responsibility matrix (four quadrants). */
export interface RiskQuadrant {
  risk: 'high' | 'low';
  responsibility: 'high' | 'low';
  note: string;
}

/**
 * The five stages for a cell (or the district) and a category (or all) over the last days, from
 * the database (risk_governance): what was identified, how it was assessed and classified, what
 * control was decided and carried out.
 */
export interface RiskGovernance {
  scope: { cellCode: string | null; cellName: string | null; category: string | null; days: number; from: string; to: string };
  identify: {
    events: number;
    bySource: Record<string, number>;
    byCategory: { category: string; events: number }[];
    firstAt: string | null;
    lastAt: string | null;
    hazardSites: number;
  };
  assess: {
    /** The cell's risk index (null for the district). */
    riskIndex: number | null;
    districtMedian: number | null;
    /** The cell's place by risk index, 1 the highest (null for the district). */
    rank: number | null;
    cells: number;
    bySeverity: Record<'1' | '2' | '3' | '4', number>;
  };
  classify: {
    class: CellClass | null;
    classSource: 'rule' | 'manual' | null;
    classReason: string | null;
    /** The district's cells by class (null for a cell). */
    byClass: Record<CellClass, number> | null;
    /** The category's quadrant (null: all categories, or not placed yet). */
    quadrant: RiskQuadrant | null;
  };
  decide: {
    cases: number;
    registered: number;
    rejected: number;
    dispatched: number;
    escalated: number;
    whistles: number;
    byDepartment: { departmentId: string; name: string; cases: number }[];
  };
  carryOut: {
    open: number;
    overdue: number;
    inProgress: number;
    answered: number;
    closed: number;
    evaluated: number;
    medianHoursToClose: number | null;
    patrols: number;
    lastPatrolAt: string | null;
  };
}

/** How far a stage got: 'none' (nothing in the period), 'partial' (something waits), 'done'. */
export type StageProgress = 'none' | 'partial' | 'done';

/**
 * Returns how far each stage got, as the stepper shows it: identified when events or hazard
 * sites are known; assessed when a risk index stands (a cell) or events were weighed (the
 * district); classified always (every cell has a class) unless a category is unplaced in the
 * matrix; decided when every case reported was registered or rejected (partial while some wait);
 * carried out when no decided case is still open (partial while some are, none without cases or
 * patrols).
 */
export function stageProgress(g: RiskGovernance): Record<GovernanceStage, StageProgress> {
  const identified = g.identify.events > 0 || g.identify.hazardSites > 0;
  const assessed = g.scope.cellCode ? g.assess.riskIndex !== null && identified : g.identify.events > 0;
  const classified = g.scope.category !== null && g.classify.quadrant === null ? 'partial' : 'done';
  const decided = g.decide.registered + g.decide.rejected;
  const awaiting = g.decide.cases - decided;
  return {
    identify: identified ? 'done' : 'none',
    assess: assessed ? 'done' : 'none',
    classify: classified,
    decide: g.decide.cases === 0 ? 'none' : awaiting > 0 ? 'partial' : 'done',
    carryOut: g.decide.cases === 0 && g.carryOut.patrols === 0 ? 'none' : g.carryOut.open > 0 ? 'partial' : 'done',
  };
}
