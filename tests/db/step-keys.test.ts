import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { actAs, failure, ownCell, seedDepartments, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

type Moved = { id: string; state: string; version: number; allowed: string[]; repeated?: boolean };

describeEachDatabase('a step sent twice', (db) => {
  let own: { code: string; lon: number; lat: number } = { code: '', lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    own = await ownCell(db());
  });

  const move = async (tx: SqlClient, caseId: string, action: string, note: string, key: string | null, department: string | null = null) =>
    (await tx.query<{ r: Moved }>(`select transition_case($1, $2, $3, $4, null, '[]', $5) r`, [caseId, action, note, department, key]))
      .rows[0]?.r as Moved;

  /** A case in the worker's cell, answered by urban management: the worker's next step is to verify it. */
  const answeredCase = async (tx: SqlClient) => {
    await actAs(tx, id('command'));
    const { rows } = await tx.query<{ id: string }>(`select report_case('hotline', '占道经营', 2, '', $1, $2) ->> 'id' id`, [
      own.lon,
      own.lat,
    ]);
    const caseId = rows[0]?.id as string;
    await move(tx, caseId, 'register', '', null);
    await move(tx, caseId, 'dispatch', '', null, 'urban');
    await actAs(tx, URBAN_OFFICER);
    await move(tx, caseId, 'start', '', null);
    await move(tx, caseId, 'answer', '已清理', null);
    return caseId;
  };
  const traceOf = async (tx: SqlClient, caseId: string) =>
    (await tx.query<{ action: string }>('select action from case_trace where case_id = $1 order by id', [caseId])).rows.map(
      (r) => r.action,
    );

  it("is one step when the member sends it again with the step's key: the answer is the case as it is, repeated", async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await answeredCase(tx);
      await actAs(tx, id('worker'));
      const key = randomUUID();
      const first = await move(tx, caseId, 'verify', '现场已核实', key);
      expect(first).toMatchObject({ state: 'closed' });
      expect(first.repeated).toBeUndefined();
      const again = await move(tx, caseId, 'verify', '现场已核实', key);
      expect(again).toMatchObject({ id: caseId, state: 'closed', version: first.version, repeated: true });
      expect(await traceOf(tx, caseId)).toEqual(['report', 'register', 'dispatch', 'start', 'answer', 'verify']);
      // The member reads their own key, with the trace row it wrote.
      const { rows } = await tx.query<{ n: number; action: string }>(
        `select count(*)::int n, min(t.action) action from case_step_keys k join case_trace t on t.id = k.trace_id where k.client_key = $1`,
        [key],
      );
      expect(rows[0]).toEqual({ n: 1, action: 'verify' });
    });
  });

  it('without a key, a step sent again is refused as no longer a next step (what the key is for)', async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await answeredCase(tx);
      await actAs(tx, id('worker'));
      await move(tx, caseId, 'verify', '', null);
      const error = await failure(tx, () => move(tx, caseId, 'verify', '', null));
      expect(error.code).toBe('22023');
      expect(error.message).toMatch(/is closed: "verify" is not a next step/);
    });
  });

  it("never answers with another member's step, nor with the key's step for another case", async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await answeredCase(tx);
      const key = randomUUID();
      await actAs(tx, id('worker'));
      await move(tx, caseId, 'reopen', '垃圾仍未清理', key);
      // Urban management answers again with the same key: its own step, taken.
      await actAs(tx, URBAN_OFFICER);
      const answered = await move(tx, caseId, 'answer', '已再次清理', key);
      expect(answered.state).toBe('answered');
      expect(answered.repeated).toBeUndefined();
      // The worker's key names the reopen of this case: on another case it is refused, and nothing moves.
      const other = await answeredCase(tx);
      await actAs(tx, id('worker'));
      const error = await failure(tx, () => move(tx, other, 'verify', '', key));
      expect(error).toMatchObject({ code: '22023', message: expect.stringMatching(/used for another case/) });
      expect(await traceOf(tx, other)).toEqual(['report', 'register', 'dispatch', 'start', 'answer']);
      // Each member reads only their own keys.
      const { rows } = await tx.query<{ n: number }>('select count(*)::int n from case_step_keys where client_key = $1', [key]);
      expect(rows[0]?.n).toBe(1);
    });
  });

  it('is written only by transition_case: a member cannot add a key of their own', async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await answeredCase(tx);
      await actAs(tx, id('worker'));
      const error = await failure(tx, () =>
        tx.query(
          `insert into case_step_keys (actor, client_key, case_id, trace_id)
           select $1, gen_random_uuid(), $2, max(id) from case_trace where case_id = $2`,
          [id('worker'), caseId],
        ),
      );
      expect(error.code).toBe('42501');
    });
  });
});
