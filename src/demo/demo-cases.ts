import { type CaseAction, type CaseSource, caseSourceOfEvent } from '../domain/cases';
import { createRandom, type Random } from './random';

/** The demo's departments, and which event categories the routing rules send to each ('*': the default). */
export const DEMO_DEPARTMENTS: readonly { id: string; name: string; categories: readonly string[] }[] = [
  { id: 'urban', name: '城市管理局', categories: ['*', '市容环境', '占道经营', '违章建筑'] },
  { id: 'env', name: '生态环境局', categories: ['环境污染', '噪音扰民'] },
  { id: 'market', name: '市场监督管理局', categories: ['食品安全'] },
  { id: 'emergency', name: '应急管理局', categories: ['安全生产'] },
  { id: 'fire', name: '消防救援大队', categories: ['消防安全'] },
  { id: 'police', name: '公安分局', categories: ['治安隐患', '交通秩序'] },
  { id: 'housing', name: '住房和城乡建设局', categories: ['设施损坏'] },
  { id: 'justice', name: '司法所', categories: ['邻里纠纷'] },
];

/** The department the demo's routing rules send a category to. */
export function demoDepartmentOf(category: string): string {
  return (
    DEMO_DEPARTMENTS.find((d) => d.categories.includes(category))?.id ??
    (DEMO_DEPARTMENTS.find((d) => d.categories.includes('*'))?.id as string)
  );
}

/** One intended step of a demo case: taken `hours` working hours after the one before, unless the demo's last day comes first. */
export interface DemoCaseStep {
  action: CaseAction;
  hours: number;
  note: string;
  departmentId: string | null;
}

export interface DemoCase {
  eventId: string;
  source: CaseSource;
  category: string;
  severity: number;
  description: string;
  lon: number;
  lat: number;
  reportedAt: string;
  steps: DemoCaseStep[];
}

interface DemoEventLike {
  id: string;
  category: string;
  severity: number;
  source: string;
  occurred_at: string;
  description: string;
  lon: number;
  lat: number;
}

const hours = (random: Random, min: number, max: number) => Math.round((min + (max - min) * random.next() ** 2) * 100) / 100;

/** The path of one case through the loop, with its detours. */
function pathOf(random: Random, category: string): DemoCaseStep[] {
  const step = (action: CaseAction, h: number, note = '', departmentId: string | null = null): DemoCaseStep => ({
    action,
    hours: h,
    note,
    departmentId,
  });
  if (random.next() < 0.05) return [step('reject', hours(random, 0.1, 2), random.pick(['重复上报', '不属于受理范围', '信息不实']))];
  const department = demoDepartmentOf(category);
  const steps = [step('register', hours(random, 0.1, 3))];
  if (random.next() < 0.04) steps.push(step('escalate', hours(random, 0.2, 3), '涉及多个部门，需区级协调'));
  if (random.next() < 0.08) {
    const wrong = random.pick(DEMO_DEPARTMENTS.filter((d) => d.id !== department)).id;
    steps.push(step('dispatch', hours(random, 0.1, 3), '', wrong), step('return', hours(random, 0.5, 6), '不属本部门职责，请重新派遣'));
  }
  steps.push(
    step('dispatch', hours(random, 0.1, 3), '', department),
    step('start', hours(random, 0.3, 6)),
    step('answer', hours(random, 3, 50), `已现场处置${category}问题，处理结果已拍照留存`),
  );
  if (random.next() < 0.1) {
    steps.push(
      step('reopen', hours(random, 0.5, 8), '现场复核问题仍在'),
      step('answer', hours(random, 2, 20), '已再次处置并复查，问题已解决'),
    );
  }
  steps.push(step('verify', hours(random, 0.5, 9)), step('evaluate', hours(random, 3, 40)));
  return steps;
}

/**
 * Cases for the demo district, from its events: about one in ten of those of severity 2 or more
 * (one in thirty of the minor ones) was reported as a case a little after it happened and went
 * through the loop: registered, sometimes escalated or sent to the wrong department first,
 * dispatched, handled, answered, sometimes reopened, verified and evaluated, each step some
 * working hours after the last (some past their limits). Where the demo's last day comes first,
 * the case stays open in that stage. The same events and seed give the same cases.
 */
export function planDemoCases(events: readonly DemoEventLike[], seed: number): DemoCase[] {
  const random = createRandom(seed * 7919 + 23);
  const cases: DemoCase[] = [];
  for (const e of events) {
    if (random.next() >= (e.severity >= 2 ? 0.1 : 0.03)) continue;
    const reportedAt = new Date(Date.parse(e.occurred_at) + random.int(5, 90) * 60_000);
    cases.push({
      eventId: e.id,
      source: caseSourceOfEvent(e.source),
      category: e.category,
      severity: e.severity,
      description: e.description,
      lon: e.lon,
      lat: e.lat,
      reportedAt: reportedAt.toISOString(),
      steps: pathOf(random, e.category),
    });
  }
  return cases.sort((a, b) => a.reportedAt.localeCompare(b.reportedAt) || a.eventId.localeCompare(b.eventId));
}
