import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { idCardCheckDigit } from '../../src/domain/id-card';
import type { MoveInResult, PlatePage, PlateSheetEntry } from '../../src/domain/plates';
import { actAs, failure, seedDepartments, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const STRANGER = '00000000-0000-4000-8000-00000000dead';

const page = async (tx: SqlClient, code: string) =>
  (await tx.query<{ r: PlatePage | null }>('select plate_page($1) r', [code])).rows[0]?.r ?? null;
const sheet = async (tx: SqlClient, cell: string | null, community: string | null = null) =>
  (await tx.query<{ r: PlateSheetEntry[] }>('select plates_sheet($1, $2) r', [cell, community])).rows[0]?.r ?? [];
const moveIn = async (tx: SqlClient, code: string, name: string, idCard: string, room: string, on: string | null = null) =>
  (await tx.query<{ r: MoveInResult }>('select record_move_in($1, $2, $3, $4, $5, $6) r', [code, name, idCard, '13800000000', room, on]))
    .rows[0]?.r as MoveInResult;
const moveOut = async (tx: SqlClient, code: string, person: string, on: string | null = null) =>
  (await tx.query('select record_move_out($1, $2, $3) r', [code, person, on])).rows[0];

/** A valid ID card number born on `birth` (YYYYMMDD) with sequence `seq` (3 digits, the last odd for 男). */
const idCard = (birth: string, seq: string) => {
  const body = `430104${birth}${seq}`;
  return body + idCardCheckDigit(body);
};

interface Door {
  code: string;
  address: string;
  cell: string;
  residents: number;
}

describeEachDatabase('house plates', (db) => {
  let own: Door;
  let other: Door;
  beforeAll(async () => {
    await seedDepartments(db());
    const doors = async (mine: boolean) =>
      (
        await db().query<Door>(
          `select h.code, a.address, a.cell_code cell, (select count(*)::int from plate_residents(a.address)) residents
           from house_plates h join addresses a on a.id = h.address_id
           where a.kind = 'door' and ${mine ? '' : 'not'} exists (select 1 from worker_cells w where w.cell_code = a.cell_code and w.user_id = $1)
             and (select count(*) from addresses b where b.address = a.address) = 1
           order by (select count(*) from plate_residents(a.address)) desc, a.id limit 1`,
          [id('worker')],
        )
      ).rows[0] as Door;
    own = await doors(true);
    other = await doors(false);
  });

  it('every door address of the gazetteer has a plate with its own opaque code, and a new address gets one', async () => {
    const counts = (
      await db().query<{ doors: number; plates: number; codes: number; leaks: number }>(
        `select (select count(*)::int from addresses where kind in ('door', 'building')) doors,
                (select count(*)::int from house_plates) plates, (select count(distinct code)::int from house_plates) codes,
                (select count(*)::int from house_plates h join addresses a on a.id = h.address_id
                 where position(h.code in a.address) > 0 or h.code ~ '[^0-9A-F]') leaks`,
      )
    ).rows[0];
    expect(counts?.doors).toBeGreaterThan(3000);
    expect(counts).toMatchObject({ plates: counts?.doors, codes: counts?.doors, leaks: 0 });
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      await tx.exec(`insert into addresses (id, kind, address, normalized, geom)
                     select 'GTEST1', 'door', '湘麓区测试路1号', '测试路1号', geom from addresses where kind = 'door' limit 1`);
      await tx.exec(`insert into addresses (id, kind, address, normalized, geom)
                     select 'GTEST2', 'poi', '测试公园', '测试公园', geom from addresses where kind = 'door' limit 1`);
      const made = await tx.query<{ address_id: string }>(`select address_id from house_plates where address_id like 'GTEST%'`);
      expect(made.rows.map((r) => r.address_id)).toEqual(['GTEST1']);
    });
  });

  it('a sheet prints a cell or a community in address order with the grid worker; a grid worker prints their own cells only', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const mine = await sheet(tx, own.cell);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((p) => p.cellCode === own.cell && p.workers.includes('王芳') && /^[0-9A-F]{12}$/.test(p.code))).toBe(true);
      expect(mine.map((p) => p.code)).toContain(own.code);
      expect(JSON.stringify(mine)).not.toMatch(/\d{17}[\dX]|单元|室/);
      expect((await failure(tx, () => sheet(tx, other.cell))).code).toBe('42501');
      const community = (await tx.query<{ c: string }>('select community_code c from cells where code = $1', [own.cell])).rows[0]
        ?.c as string;
      // The community's sheet, as the worker: only their own cells' plates in it.
      expect((await sheet(tx, null, community)).every((p) => p.workers.includes('王芳'))).toBe(true);

      await actAs(tx, id('planner'));
      const all = await sheet(tx, null, community);
      const expected = (
        await tx.query<{ n: number }>(`select count(*)::int n from addresses where kind in ('door', 'building') and community_code = $1`, [
          community,
        ])
      ).rows[0]?.n;
      expect(all).toHaveLength(expected as number);
      expect(all.map((p) => p.cellCode)).toEqual([...all.map((p) => p.cellCode)].sort());
      expect((await failure(tx, () => sheet(tx, own.cell, community))).code).toBe('22023');
      expect((await failure(tx, () => sheet(tx, '430199999999999'))).code).toBe('P0002');

      for (const who of [URBAN_OFFICER, STRANGER]) {
        await actAs(tx, who);
        expect((await failure(tx, () => sheet(tx, own.cell))).code).toBe('42501');
      }
    });
  });

  it('a plate page by actor: residents in full for the cell’s worker and admins, masked for command, counts for planners and other workers', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const mine = (await page(tx, own.code.toLowerCase())) as PlatePage;
      expect(mine).toMatchObject({
        code: own.code,
        address: own.address,
        cellCode: own.cell,
        canRecord: true,
        namesMasked: false,
        workers: ['王芳'],
      });
      expect(mine.people).toHaveLength(own.residents);
      expect(mine.residents?.total).toBe(own.residents);
      // Each resident's room is the rest of their address, and the household count is the distinct households.
      // As the owner reads them (the worker cannot read person_private's addresses themselves).
      await tx.exec('reset role');
      const owner = (
        await tx.query<{ name: string; room: string; households: number }>(
          `with r as (select e.name, substr(p.address, char_length($1) + 1) room, e.attributes ->> 'household_id' household
                      from person_private p join entities e on e.id = p.entity_id where p.address like $1 || '%')
           select name, room, (select count(distinct household)::int from r) households from r`,
          [own.address],
        )
      ).rows;
      expect(new Set(mine.people?.map((p) => `${p.name} ${p.room}`))).toEqual(new Set(owner.map((r) => `${r.name} ${r.room}`)));
      expect(mine.residents?.households).toBe(owner[0]?.households);
      expect(mine.tenancies).toEqual([]);

      await actAs(tx, id('command'));
      const command = (await page(tx, own.code)) as PlatePage;
      expect(command.namesMasked).toBe(true);
      expect(command.canRecord).toBe(false);
      expect(command.people?.every((p) => /^.\*+$/.test(p.name) && p.room === undefined && p.birthYear === undefined)).toBe(true);
      expect(command.tenancies).toBeNull();

      await actAs(tx, id('planner'));
      const planner = (await page(tx, own.code)) as PlatePage;
      expect(planner.people).toBeNull();
      expect(planner.residents?.total).toBe(own.residents);
      expect(JSON.stringify(planner)).not.toContain(owner[0]?.name as string);

      await actAs(tx, id('worker'));
      const elsewhere = (await page(tx, other.code)) as PlatePage;
      expect(elsewhere).toMatchObject({ canRecord: false, people: null, residents: null, tenancies: null });

      expect(await page(tx, '000000000000')).toBeNull();
      for (const who of [URBAN_OFFICER, STRANGER]) {
        await actAs(tx, who);
        expect((await failure(tx, () => page(tx, own.code))).code).toBe('42501');
      }
    });
  });

  it('the page shows the places at the address and the open cases at the door that the caller may read', async () => {
    await rolledBack(db(), async (tx) => {
      const withPlace = (
        await tx.query<{ code: string; n: number }>(
          `select h.code, count(*)::int n from house_plates h join addresses a on a.id = h.address_id
           join entities e on e.kind in ('place', 'organisation') and e.attributes ->> 'address' = a.address
           group by h.code order by n desc, h.code limit 1`,
        )
      ).rows[0];
      await actAs(tx, id('admin'));
      expect((await page(tx, withPlace?.code as string))?.entities).toHaveLength(withPlace?.n as number);

      // A case reported at the worker's door is open on its page; a closed one is not.
      await actAs(tx, id('worker'));
      const at = (await page(tx, own.code)) as PlatePage;
      const reported = (
        await tx.query<{ r: { id: string } }>(`select report_case('grid_worker', '乱堆乱放', 2, '门牌上报', $1, $2) r`, [
          at.lngLat[0],
          at.lngLat[1],
        ])
      ).rows[0]?.r;
      const open = ((await page(tx, own.code)) as PlatePage).openCases;
      expect(open.map((c) => c.id)).toContain(reported?.id);
      expect(open.find((c) => c.id === reported?.id)?.meters).toBeLessThan(1);
      await tx.exec('reset role');
      await tx.query(`update cases set state = 'closed' where id = $1`, [reported?.id]);
      await actAs(tx, id('worker'));
      expect(((await page(tx, own.code)) as PlatePage).openCases.map((c) => c.id)).not.toContain(reported?.id);
    });
  });

  it('the grid worker records a tenant moving in and out: the person is registered at the door, the register keeps the record', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const before = (await page(tx, own.code)) as PlatePage;
      const room = before.people?.[0]?.room as string;
      const card = idCard('19950412', '123');
      const moved = await moveIn(tx, own.code, '刘晓宇', card, room, '2026-11-30');
      expect(moved.moved).toBe(false);
      // The room's household is joined.
      expect(moved.householdId).toBe(before.people?.[0]?.householdId);
      const after = (await page(tx, own.code)) as PlatePage;
      expect(after.residents?.total).toBe(own.residents + 1);
      expect(after.residents?.floating).toBe((before.residents?.floating ?? 0) + 1);
      expect(after.people?.find((p) => p.id === moved.personId)).toMatchObject({
        name: '刘晓宇',
        room,
        gender: '男',
        birthYear: 1995,
        category: '流动人口',
        movedInOn: '2026-11-30',
      });
      expect(after.tenancies?.[0]).toMatchObject({ name: '刘晓宇', room, movedInOn: '2026-11-30', movedOutOn: null });
      // Registered in the cell like everyone: the cell counts one resident more.
      const cell = (await tx.query<{ cell_code: string }>('select cell_code from entities where id = $1', [moved.personId])).rows[0];
      expect(cell?.cell_code).toBe(own.cell);

      // The same ID card again at this door: refused; a bad card or a day to come: refused with why.
      expect((await failure(tx, () => moveIn(tx, own.code, '刘晓宇', card, room))).code).toBe('23505');
      const bad = await failure(tx, () => moveIn(tx, own.code, '某人', `${card.slice(0, 17)}${card[17] === '0' ? '1' : '0'}`, '1室'));
      expect(bad).toMatchObject({ code: '22023', message: expect.stringContaining('check character') });
      expect((await failure(tx, () => moveIn(tx, own.code, '', idCard('19900101', '222'), '1室'))).message).toContain('name');
      expect((await failure(tx, () => moveIn(tx, own.code, '某人', idCard('19900101', '222'), '1室', '2999-01-01'))).code).toBe('22023');

      // Not their cell; not a worker or admin.
      expect((await failure(tx, () => moveIn(tx, other.code, '某人', idCard('19900101', '222'), '1室'))).code).toBe('42501');
      for (const who of [id('command'), id('planner'), URBAN_OFFICER, STRANGER]) {
        await actAs(tx, who);
        expect((await failure(tx, () => moveIn(tx, own.code, '某人', idCard('19900101', '222'), '1室'))).code).toBe('42501');
        expect((await failure(tx, () => moveOut(tx, own.code, moved.personId))).code).toBe('42501');
      }

      // Moving out: before moving in is refused; then they leave the register, the tenancy keeps them.
      await actAs(tx, id('worker'));
      expect((await failure(tx, () => moveOut(tx, own.code, moved.personId, '2026-11-01'))).code).toBe('22023');
      await moveOut(tx, own.code, moved.personId, '2026-12-01');
      const gone = (await page(tx, own.code)) as PlatePage;
      expect(gone.residents?.total).toBe(own.residents);
      expect(gone.people?.some((p) => p.id === moved.personId)).toBe(false);
      expect(gone.tenancies?.[0]).toMatchObject({ name: '刘晓宇', movedInOn: '2026-11-30', movedOutOn: '2026-12-01', personId: null });
      // Not living here (any more): refused.
      expect((await failure(tx, () => moveOut(tx, own.code, moved.personId))).code).toBe('P0002');

      // A resident from before the register moves out: the record starts with their leaving.
      const old = before.people?.[0];
      await moveOut(tx, own.code, old?.id as string);
      expect(((await page(tx, own.code)) as PlatePage).tenancies?.[0]).toMatchObject({ name: old?.name, room: old?.room, movedInOn: null });

      // The worker reads the register of their cells directly; the command centre and planners do not.
      expect((await tx.query('select * from tenancies')).rows.length).toBe(2);
      await actAs(tx, id('command'));
      expect((await tx.query('select * from tenancies')).rows.length).toBe(0);
    });
  });

  it('a move dated today is today in the office’s time zone, not the session’s (UTC): a day ahead there is not a day to come', async () => {
    await rolledBack(db(), async (tx) => {
      // An office 14 hours ahead of UTC: its today is UTC's tomorrow from 10:00 UTC on.
      await tx.query(`update case_working_time set time_zone = 'Etc/GMT-14'`);
      const { today, tomorrow } = (
        await tx.query<{ today: string; tomorrow: string }>(
          `select to_char((now() at time zone 'Etc/GMT-14')::date, 'YYYY-MM-DD') today,
                  to_char((now() at time zone 'Etc/GMT-14')::date + 1, 'YYYY-MM-DD') tomorrow`,
        )
      ).rows[0] as { today: string; tomorrow: string };
      await actAs(tx, id('worker'));
      const moved = await moveIn(tx, own.code, '刘晓宇', idCard('19950412', '123'), '9单元901室', today);
      // Without a date: the office's today.
      const undated = await moveIn(tx, own.code, '周敏', idCard('19960101', '246'), '9单元902室');
      const days = async () =>
        (
          await tx.query<{ on: string }>(
            `select to_char(moved_in_on, 'YYYY-MM-DD') "on" from tenancies where person_id = any($1) order by 1`,
            [[moved.personId, undated.personId]],
          )
        ).rows.map((r) => r.on);
      expect(await days()).toEqual([today, today]);
      expect((await failure(tx, () => moveIn(tx, own.code, '某人', idCard('19900101', '222'), '1室', tomorrow))).message).toContain(
        `moved in on ${tomorrow}: a day to come`,
      );
      expect((await failure(tx, () => moveOut(tx, own.code, moved.personId, tomorrow))).message).toContain('a day to come');
      await moveOut(tx, own.code, moved.personId, today);
      // Nobody outside the database calls the helper.
      await tx.exec('reset role');
      for (const role of ['anon', 'authenticated'])
        expect(
          (await tx.query<{ ok: boolean }>(`select has_function_privilege($1, 'office_today()', 'EXECUTE') ok`, [role])).rows[0]?.ok,
        ).toBe(false);
    });
  });

  it('someone registered elsewhere in the district who moves in is the same person, moved; their last tenancy ends', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const card = idCard('19880808', '246');
      const first = await moveIn(tx, other.code, '周雨', card, '2单元201室', '2026-10-01');
      const second = await moveIn(tx, own.code, '周雨', card, '1单元101室', '2026-11-15');
      expect(second).toMatchObject({ moved: true, personId: first.personId });
      expect(((await page(tx, other.code)) as PlatePage).people?.some((p) => p.id === first.personId)).toBe(false);
      expect(((await page(tx, other.code)) as PlatePage).tenancies?.[0]).toMatchObject({ name: '周雨', movedOutOn: '2026-11-15' });
      expect(((await page(tx, own.code)) as PlatePage).people?.find((p) => p.id === first.personId)?.room).toBe('1单元101室');
      const where = (await tx.query<{ cell_code: string }>('select cell_code from entities where id = $1', [first.personId])).rows[0];
      expect(where?.cell_code).toBe(own.cell);
    });
  });
});
