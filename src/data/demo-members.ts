import type { AppRole } from '../domain/ids';

/** A user of the demo district: the embedded app acts as one of these, chosen in the UI. */
export interface DemoMember {
  userId: string;
  role: AppRole;
  displayName: string;
  /** A department officer's department. */
  departmentId?: string;
}

/** Demo users, one per role; the worker is assigned the cells of the first community. */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  { userId: '00000000-0000-4000-8000-000000000001', role: 'admin', displayName: '张敏' },
  { userId: '00000000-0000-4000-8000-000000000002', role: 'command', displayName: '李强' },
  { userId: '00000000-0000-4000-8000-000000000003', role: 'worker', displayName: '王芳' },
  { userId: '00000000-0000-4000-8000-000000000004', role: 'planner', displayName: '陈静' },
  { userId: '00000000-0000-4000-8000-0000000000d1', role: 'department', displayName: '赵刚', departmentId: 'urban' },
];

/**
 * One officer per demo department (src/demo/demo-cases.ts), who handles its demo cases; the
 * urban management officer is also a demo member the app can act as.
 */
export const DEMO_OFFICERS: readonly (DemoMember & { departmentId: string })[] = [
  ['urban', '赵刚'],
  ['env', '钱丽'],
  ['market', '孙伟'],
  ['emergency', '周涛'],
  ['fire', '吴磊'],
  ['police', '郑洁'],
  ['housing', '冯军'],
  ['justice', '褚红'],
].map(([departmentId, displayName], k) => ({
  userId: `00000000-0000-4000-8000-0000000000d${k + 1}`,
  role: 'department',
  displayName: displayName as string,
  departmentId: departmentId as string,
}));
