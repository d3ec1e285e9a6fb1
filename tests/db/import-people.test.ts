import { expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { idCardCheckDigit } from '../../src/domain/id-card';
import { asUser, describeEachDatabase } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const card = (body: string) => body + idCardCheckDigit(body);
const row = (idCard: string, lon: number, lat: number, externalId = '') => ({
  external_id: externalId,
  name: '花名册居民',
  category: '户籍人口',
  risk_level: 0,
  lon,
  lat,
  attributes: {},
  personal: { id_card_number: idCard, phone: '', address: '' },
});
const importPeople = async (tx: SqlClient, rows: unknown[]) =>
  (
    await tx.query<{ r: { inserted: number; updated: number; unchanged: number } }>("select import_entities('person', $1) r", [
      JSON.stringify(rows),
    ])
  ).rows[0]?.r;

describeEachDatabase('people imported by ID card number', (db) => {
  it('gives a new person a generated id, never the number, and finds them by it the next time', async () => {
    const number = card('43019919700707007');
    await asUser(db(), id('admin'), async (tx) => {
      expect(await importPeople(tx, [row(number, 112.9, 28.19)])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
      const { rows } = await tx.query<{ external_id: string }>(
        `select e.external_id from entities e where e.kind = 'person' and e.name = '花名册居民'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.external_id).toMatch(/^P-[0-9a-f]{16}$/);
      expect(rows[0]?.external_id).not.toContain(number);
      expect(await importPeople(tx, [row(number, 112.9, 28.19)])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    });
  });

  it('a grid worker finds by number only the people of their own cells; elsewhere a new person would land outside them and is refused', async () => {
    const { rows } = await db().query<{ id_card_number: string; lon: number; lat: number; own: boolean }>(
      `select p.id_card_number, ST_X(e.geom) lon, ST_Y(e.geom) lat,
              exists (select 1 from worker_cells w where w.user_id = $1 and w.cell_code = e.cell_code) own
       from person_private p join entities e on e.id = p.entity_id
       where p.id_card_number <> '' order by e.external_id limit 2000`,
      [id('worker')],
    );
    const own = rows.find((r) => r.own);
    const foreign = rows.find((r) => !r.own);
    if (!own || !foreign) throw new Error('need a person in and out of the worker cells');
    await asUser(db(), id('worker'), async (tx) => {
      expect(await importPeople(tx, [row(own.id_card_number, own.lon, own.lat)])).toMatchObject({ inserted: 0 });
      await expect(importPeople(tx, [row(foreign.id_card_number, foreign.lon, foreign.lat)])).rejects.toThrow();
    });
  });

  it('refuses rows with neither an id nor an ID card number, saying so', async () => {
    await asUser(db(), id('admin'), async (tx) => {
      await expect(importPeople(tx, [row('', 112.9, 28.19)])).rejects.toThrow(/no external_id and no ID card number/);
    });
  });
});
