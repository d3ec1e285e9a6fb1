import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { actAs, ownCell, seedDepartments } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

type Reported = { id: string; code: string; state: string; repeated?: boolean };

describeEachDatabase('a report sent twice', (db) => {
  let own: { code: string; lon: number; lat: number } = { code: '', lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    own = await ownCell(db());
  });

  const report = async (tx: SqlClient, key: string | null, description = '井盖缺失') =>
    (
      await tx.query<{ r: Reported }>(`select report_case('grid_worker', '设施损坏', 2, $3, $1, $2, null, '[]', $4) r`, [
        own.lon,
        own.lat,
        description,
        key,
      ])
    ).rows[0]?.r as Reported;
  const count = async (tx: SqlClient) => (await tx.query<{ n: number }>('select count(*)::int n from cases')).rows[0]?.n as number;

  it("is one case when the member sends it again with the report's key: the answer says it was repeated", async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const before = await count(tx);
      const key = randomUUID();
      const first = await report(tx, key);
      expect(first.repeated).toBeUndefined();
      const again = await report(tx, key, '井盖缺失（重发）');
      expect(again).toMatchObject({ id: first.id, code: first.code, state: 'reported', repeated: true });
      expect(await count(tx)).toBe(before + 1);
      // One trace row: the repeat wrote nothing.
      const { rows } = await tx.query<{ n: number; description: string }>(
        `select (select count(*)::int from case_trace where case_id = $1) n, (select description from cases where id = $1) description`,
        [first.id],
      );
      expect(rows[0]).toEqual({ n: 1, description: '井盖缺失' });
      // Without a key every send is a case, as before.
      await report(tx, null);
      await report(tx, null);
      expect(await count(tx)).toBe(before + 3);
    });
  });

  it("never answers with another member's case: the same key from someone else is their own report", async () => {
    await rolledBack(db(), async (tx) => {
      const key = randomUUID();
      await actAs(tx, id('worker'));
      const worker = await report(tx, key);
      await actAs(tx, id('command'));
      const command = await report(tx, key);
      expect(command.id).not.toBe(worker.id);
      expect(command.repeated).toBeUndefined();
    });
  });

  it('is one complaint when sent again with its key', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const key = randomUUID();
      const send = async () =>
        (
          await tx.query<{ r: Reported }>(
            `select report_complaint('hotline', '噪音扰民', 2, '夜间施工噪音', $1, $2, '张三', '13800000000', '[]', $3) r`,
            [own.lon, own.lat, key],
          )
        ).rows[0]?.r as Reported;
      const first = await send();
      const again = await send();
      expect(again).toMatchObject({ id: first.id, repeated: true });
      const { rows } = await tx.query<{ n: number }>('select count(*)::int n from case_complainants where case_id = $1', [first.id]);
      expect(rows[0]?.n).toBe(1);
    });
  });
});
