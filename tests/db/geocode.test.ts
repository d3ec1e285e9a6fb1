import { expect, it } from 'vitest';
import { doorPart, normalizeAddress } from '../../src/domain/address';
import { describeEachDatabase } from './each-database';

interface Candidate {
  id: string;
  address: string;
  score: number;
}

describeEachDatabase('offline geocoding against the demo gazetteer', (db) => {
  const geocode = async (query: string) => {
    const n = normalizeAddress(query);
    const { rows } = await db().query<{ r: Candidate[] }>('select geocode_address($1, $2, 5) r', [n, doorPart(n)]);
    return rows[0]?.r ?? [];
  };

  it('finds door addresses without their district and street, with 单元/室 added, in full-width digits', async () => {
    const { rows } = await db().query<{ address: string; road: string; house_number: string }>(
      `select address, road, house_number from addresses where kind = 'door' order by id limit 60`,
    );
    let exact = 0;
    for (const a of rows) {
      const variants = [
        `${a.road}${a.house_number}`,
        `${a.road}${a.house_number}2单元301室`,
        `${a.road}${a.house_number}`.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)),
      ];
      for (const v of variants) {
        const [best] = await geocode(v);
        // Two buildings can share a door number: compare addresses, not ids.
        expect(normalizeAddress(best?.address ?? '')).toBe(normalizeAddress(a.address));
        if (best?.score === 1) exact++;
      }
    }
    expect(exact).toBe(rows.length * 3);
  });

  it('ranks the right address first for a misspelt road, with a score below 1', async () => {
    const { rows } = await db().query<{ address: string; road: string; house_number: string }>(
      `select address, road, house_number from addresses where kind = 'door' and length(road) >= 3 order by id limit 30`,
    );
    let found = 0;
    for (const a of rows) {
      // Replace the first character of the road name with a character no road uses.
      const typo = `鑫${a.road.slice(1)}${a.house_number}`;
      const candidates = await geocode(typo);
      const hit = candidates.find((c) => normalizeAddress(c.address) === normalizeAddress(a.address));
      if (hit) {
        found++;
        expect(hit.score).toBeLessThan(1);
        expect(hit.score).toBeGreaterThan(0.3);
      }
    }
    expect(found / rows.length).toBeGreaterThan(0.8);
  });

  it('finds named places (POIs) by name', async () => {
    const { rows } = await db().query<{ id: string; name: string }>(
      `select id, name from addresses where kind = 'poi' order by id limit 5`,
    );
    for (const p of rows) {
      const [best] = await geocode(`湘麓区${p.name}`);
      expect(best?.id).toBe(p.id);
    }
  });

  it('returns nothing for text unlike any address', async () => {
    expect(await geocode('完全无关的文字内容')).toEqual([]);
  });

  it('refuses a query of more than 200 characters at once (one of a few hundred kB took minutes), in the geocoder and the search', async () => {
    const long = '岳麓大道'.repeat(51);
    await expect(db().query('select geocode_address($1, $2, 5)', [long, ''])).rejects.toThrow(
      'a query may have at most 200 characters, this one has 204',
    );
    await expect(db().query('select search_map($1, 20)', [long])).rejects.toThrow('a query may have at most 200 characters');
    const { rows } = await db().query<{ r: unknown[] }>('select search_map($1, 20) r', [long.slice(0, 200)]);
    expect(rows[0]?.r).toEqual([]);
  });
});
