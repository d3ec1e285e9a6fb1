import { describe, expect, it } from 'vitest';
import { type RiskGovernance, stageProgress } from '../../../src/domain/governance';

const base = (): RiskGovernance => ({
  scope: { cellCode: '430199001001001', cellName: '第1网格', category: null, days: 90, from: '', to: '' },
  identify: { events: 0, bySource: {}, byCategory: [], firstAt: null, lastAt: null, hazardSites: 0 },
  assess: { riskIndex: 0, districtMedian: 1, rank: 300, cells: 570, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } },
  classify: { class: 'C', classSource: 'rule', classReason: '', byClass: null, quadrant: null },
  decide: { cases: 0, registered: 0, rejected: 0, dispatched: 0, escalated: 0, whistles: 0, byDepartment: [] },
  carryOut: {
    open: 0,
    overdue: 0,
    inProgress: 0,
    answered: 0,
    closed: 0,
    evaluated: 0,
    medianHoursToClose: null,
    patrols: 0,
    lastPatrolAt: null,
  },
});

describe('how far each governance stage got', () => {
  it('is empty where nothing was identified or reported, classified all the same', () => {
    expect(stageProgress(base())).toEqual({ identify: 'none', assess: 'none', classify: 'done', decide: 'none', carryOut: 'none' });
  });

  it('waits on a decision while a case is neither registered nor rejected, and on the control while one is open', () => {
    const g = base();
    g.identify.events = 4;
    g.decide = { ...g.decide, cases: 3, registered: 1, rejected: 1 };
    g.carryOut.open = 2;
    expect(stageProgress(g)).toMatchObject({ identify: 'done', assess: 'done', decide: 'partial', carryOut: 'partial' });
    g.decide.registered = 2;
    g.carryOut.open = 0;
    expect(stageProgress(g)).toMatchObject({ decide: 'done', carryOut: 'done' });
  });

  it('counts a patrol as control carried out, and a category outside the matrix as not fully classified', () => {
    const g = base();
    g.carryOut.patrols = 1;
    g.scope.category = '占道经营';
    expect(stageProgress(g)).toMatchObject({ classify: 'partial', carryOut: 'done' });
    g.classify.quadrant = { risk: 'high', responsibility: 'high', note: '' };
    expect(stageProgress(g).classify).toBe('done');
  });

  it('assesses the district by its events, not by a cell index', () => {
    const g = base();
    g.scope.cellCode = null;
    g.assess.riskIndex = null;
    g.identify.hazardSites = 3;
    expect(stageProgress(g)).toMatchObject({ identify: 'done', assess: 'none' });
    g.identify.events = 1;
    expect(stageProgress(g).assess).toBe('done');
  });
});
