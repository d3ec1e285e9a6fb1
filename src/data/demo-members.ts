import type { AppRole } from '../domain/ids';

/** A user of the demo district: the embedded app acts as one of these, chosen in the UI. */
export interface DemoMember {
  userId: string;
  role: AppRole;
  displayName: string;
}

/** Demo users, one per role; the worker is assigned the cells of the first community. */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  { userId: '00000000-0000-4000-8000-000000000001', role: 'admin', displayName: '张敏' },
  { userId: '00000000-0000-4000-8000-000000000002', role: 'command', displayName: '李强' },
  { userId: '00000000-0000-4000-8000-000000000003', role: 'worker', displayName: '王芳' },
  { userId: '00000000-0000-4000-8000-000000000004', role: 'planner', displayName: '陈静' },
];
