import { describe, expect, it } from 'vitest';
import {
  cellMedians,
  cellRows,
  classAt,
  communityRows,
  countsByMonth,
  type FigureRow,
  figureDelta,
  filterRows,
  hotspotTally,
  median,
  pagesOf,
  previousPeriod,
  reportComparison,
  sortRows,
  withBefore,
  zoneTotals,
} from '../../../src/domain/figures';
import type { CellFigures } from '../../../src/domain/records';

const figures = (code: string, community: string, over: Partial<CellFigures> = {}): CellFigures => ({
  code,
  name: `网格${code.slice(-3)}`,
  class: 'B',
  communityCode: community,
  communityName: `社区${community.slice(-1)}`,
  streetName: '城南街道',
  households: 10,
  areaSquareMeters: 1000,
  people: 10,
  keyPersons: 1,
  places: 2,
  things: 3,
  organisations: 1,
  events: 5,
  casesReported: 2,
  casesOpen: 1,
  casesOverdue: 0,
  casesClosed: 1,
  medianHandlingHours: 12,
  riskIndex: 4,
  lastPatrolAt: null,
  ...over,
});

const cells = [
  figures('001', 'c1', { events: 9, class: 'A', riskIndex: 10, areaSquareMeters: 3000 }),
  figures('002', 'c1', { events: 1, medianHandlingHours: null, casesClosed: 0 }),
  figures('003', 'c2', { events: 4, class: 'C' }),
];

describe('comparison rows', () => {
  it('sums communities over their cells, the risk index weighted by area, no median of medians', () => {
    const [c1, c2] = communityRows(cells);
    expect(c1).toMatchObject({ key: 'c1', name: '社区1', cells: 2, cls: null });
    expect(c1?.values).toMatchObject({ events: 10, people: 20, casesClosed: 1, medianHandlingHours: null, riskIndex: 8.5 });
    expect(c2?.values.events).toBe(4);
  });

  it('sets the period before beside each row and gives the change', () => {
    const now = cellRows(cells);
    const rows = withBefore(now, cellRows([figures('001', 'c1', { events: 4 })]));
    expect(figureDelta(rows[0] as FigureRow, 'events')).toBe(5);
    // A cell not there before has no change; a missing median has none either.
    expect(figureDelta(rows[1] as FigureRow, 'events')).toBeNull();
    expect(figureDelta(rows[0] as FigureRow, 'medianHandlingHours')).toBe(0);
  });

  it('sorts by a figure, its change, the code or the name, missing values last either way', () => {
    const rows = withBefore(cellRows(cells), cellRows([figures('001', 'c1', { events: 4 }), figures('003', 'c2', { events: 8 })]));
    expect(sortRows(rows, { by: 'metric', metric: 'events' }, true).map((r) => r.key)).toEqual(['001', '003', '002']);
    expect(sortRows(rows, { by: 'metric', metric: 'events' }, false).map((r) => r.key)).toEqual(['002', '003', '001']);
    expect(sortRows(rows, { by: 'delta', metric: 'events' }, true).map((r) => r.key)).toEqual(['001', '003', '002']);
    expect(sortRows(rows, { by: 'delta', metric: 'events' }, false).map((r) => r.key)).toEqual(['003', '001', '002']);
    expect(sortRows(rows, { by: 'metric', metric: 'medianHandlingHours' }, false).map((r) => r.key)).toEqual(['001', '003', '002']);
    expect(sortRows(rows, { by: 'key' }, true).map((r) => r.key)).toEqual(['003', '002', '001']);
  });

  it('filters by code, name or community and by class', () => {
    const rows = cellRows(cells);
    expect(filterRows(rows, '社区2', []).map((r) => r.key)).toEqual(['003']);
    expect(filterRows(rows, ' 002 ', []).map((r) => r.key)).toEqual(['002']);
    expect(filterRows(rows, '', ['A', 'C']).map((r) => r.key)).toEqual(['001', '003']);
    // Communities have no class: a class filter leaves none.
    expect(filterRows(communityRows(cells), '', ['A'])).toEqual([]);
  });

  it('takes the period of the same length just before', () => {
    expect(previousPeriod('2026-08-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z')).toEqual({
      from: '2026-07-01T00:00:00.000Z',
      to: '2026-08-01T00:00:00.000Z',
    });
  });
});

describe('report figures', () => {
  const cellsOf = [
    figures('001', 'c1', { events: 9 }),
    figures('002', 'c1', { events: 1 }),
    figures('003', 'c1', { events: 4 }),
    figures('004', 'c2', { events: 20 }),
  ];

  it('sets a cell beside its community’s and all the cells’ medians', () => {
    const rows = reportComparison(cellsOf, '002');
    expect(rows?.find((r) => r.metric === 'events')).toEqual({ metric: 'events', cell: 1, community: 4, all: 6.5 });
    expect(reportComparison(cellsOf, '999')).toBeNull();
    expect(median([])).toBeNull();
    expect(median([null, 3, null])).toBe(3);
  });

  it('counts by month in China’s time, empty months as 0, and a long period from its first month with any', () => {
    const times = ['2026-05-31T17:00:00Z', '2026-06-15T00:00:00Z', '2026-07-01T01:00:00Z'];
    // 2026-05-31T17:00Z is June 1st in China.
    expect(countsByMonth(times, '2026-04-30T16:00:00Z', '2026-07-31T16:00:00Z')).toEqual([
      { month: '2026-05', count: 0 },
      { month: '2026-06', count: 2 },
      { month: '2026-07', count: 1 },
    ]);
    const allTime = countsByMonth(times, '2000-01-01T00:00:00Z', '2026-12-08T00:00:00Z');
    expect(allTime[0]).toEqual({ month: '2026-06', count: 2 });
    expect(allTime.at(-1)?.month).toBe('2026-12');
  });
});

describe('a zone’s figures', () => {
  const cells = [
    figures('430199001001001', '430199001001', { events: 4, riskIndex: 10, areaSquareMeters: 1000, medianHandlingHours: 5 }),
    figures('430199001001002', '430199001001', { events: 6, riskIndex: 40, areaSquareMeters: 3000, medianHandlingHours: 9 }),
    figures('430199001001003', '430199001001', { events: 11, riskIndex: 0, areaSquareMeters: 1000, medianHandlingHours: null }),
  ];

  it('sums the counts, weights the risk index by area and makes no median of medians', () => {
    const totals = zoneTotals(cells);
    expect(totals.events).toBe(21);
    expect(totals.people).toBe(30);
    expect(totals.riskIndex).toBe(26);
    expect(totals.medianHandlingHours).toBeNull();
    expect(zoneTotals([]).riskIndex).toBe(0);
  });

  it('gives each figure’s median over the cells', () => {
    const m = cellMedians(cells);
    expect(m.events).toBe(6);
    expect(m.medianHandlingHours).toBe(7);
    expect(cellMedians([]).events).toBeNull();
  });

  it('tallies hot spots by class and trend, and pages a table', () => {
    const hot = new Map([
      ['a', { hotspot: 3, trend: 'new' }],
      ['b', { hotspot: 3, trend: 'persistent' }],
      ['c', { hotspot: 0, trend: 'diminishing' }],
      ['d', { hotspot: -1, trend: null }],
    ]);
    expect(hotspotTally(['a', 'b', 'c', 'd', 'e'], hot)).toEqual({
      bins: { 3: 2, '-1': 1 },
      trends: { new: 1, persistent: 1, diminishing: 1 },
    });
    expect(pagesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(pagesOf([], 2)).toEqual([[]]);
  });

  it('finds a cell’s class at a time from its class changes', () => {
    const changes = [
      { fromClass: 'B' as const, changedAt: '2026-06-01T00:00:00Z' },
      { fromClass: null, changedAt: '2026-01-01T00:00:00Z' },
      { fromClass: 'C' as const, changedAt: '2026-03-01T00:00:00Z' },
    ];
    expect(classAt('A', changes, '2026-07-01T00:00:00Z')).toBe('A');
    expect(classAt('A', changes, '2026-04-01T00:00:00Z')).toBe('B');
    expect(classAt('A', changes, '2026-02-01T00:00:00Z')).toBe('C');
    expect(classAt('A', changes, '2025-12-01T00:00:00Z')).toBeNull();
    expect(classAt('A', [], '2025-12-01T00:00:00Z')).toBe('A');
  });
});
