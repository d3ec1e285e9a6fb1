import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';

/** Department officers made for the case tests: of urban management, and of the environment. */
export const URBAN_OFFICER = '00000000-0000-4000-8000-0000000000d1';
export const ENV_OFFICER = '00000000-0000-4000-8000-0000000000d2';

/** Adds (as the owner, once) the departments 'urban' and 'env' and one officer of each. */
export async function seedDepartments(client: SqlClient): Promise<void> {
  await client.exec(`
    insert into departments (id, name) values ('urban', '城市管理局'), ('env', '生态环境局') on conflict do nothing;
    insert into members (user_id, role, display_name, department_id) values
      ('${URBAN_OFFICER}', 'department', '城管 · 赵刚', 'urban'), ('${ENV_OFFICER}', 'department', '环保 · 钱丽', 'env')
      on conflict do nothing;
  `);
}

/** Returns a point inside a cell of the demo grid worker (`own`) or inside a cell not theirs. */
export async function pointInWorkerCells(client: SqlClient, own: boolean): Promise<{ lon: number; lat: number }> {
  const worker = DEMO_MEMBERS.find((m) => m.role === 'worker')?.userId as string;
  const { rows } = await client.query<{ lon: number; lat: number }>(
    `select ST_X(p) lon, ST_Y(p) lat from (select ST_PointOnSurface(c.geom) p from cells c where c.valid_to is null
       and ${own ? '' : 'not'} exists (select 1 from worker_cells w where w.cell_code = c.code and w.user_id = $1) order by c.code limit 1) q`,
    [worker],
  );
  return rows[0] as { lon: number; lat: number };
}

/** The demo grid worker's first cell (by code), with a point inside it. */
export async function ownCell(client: SqlClient): Promise<{ code: string; lon: number; lat: number }> {
  const worker = DEMO_MEMBERS.find((m) => m.role === 'worker')?.userId as string;
  const { rows } = await client.query<{ code: string; lon: number; lat: number }>(
    `select c.code, ST_X(ST_PointOnSurface(c.geom)) lon, ST_Y(ST_PointOnSurface(c.geom)) lat from cells c
     join worker_cells w on w.cell_code = c.code where c.valid_to is null and w.user_id = $1 order by c.code limit 1`,
    [worker],
  );
  return rows[0] as { code: string; lon: number; lat: number };
}

/** Acts as `userId` from here on in the transaction (PostgREST's role and claims). */
export async function actAs(tx: SqlClient, userId: string): Promise<void> {
  await tx.exec('reset role');
  await tx.exec('set local role authenticated');
  await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
}

export type Step = { code: string; state: string; version: number; allowed: string[]; departmentId: string | null };

export const step = async (
  tx: SqlClient,
  caseId: string,
  action: string,
  note = '',
  department: string | null = null,
  version: number | null = null,
) =>
  (await tx.query<{ r: Step }>('select transition_case($1, $2, $3, $4, $5) r', [caseId, action, note, department, version])).rows[0]
    ?.r as Step;

/** Returns the error `fn` fails with (code and message), or throws when it does not fail. */
export async function failure(tx: SqlClient, fn: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  await tx.exec('savepoint attempt');
  try {
    await fn();
  } catch (error) {
    await tx.exec('rollback to savepoint attempt');
    return error as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}
