import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Backend } from '../../src/data/backend';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { memoryOutboxStore, sendOutbox } from '../../src/data/outbox-store';
import { createSupabaseBackend } from '../../src/data/supabase/supabase-backend';
import type { OutboxItem } from '../../src/domain/outbox';
import { base64ToBytes } from '../../src/domain/photos';
import { randomKey } from '../../src/domain/random-key';
import { JPEG_1PX } from '../fixtures/photos';
import { ownCell, seedDepartments } from './case-fixtures';
import { demoPglite, type TestDatabase } from './databases';
import { installFakeStorage } from './fake-storage';
import { fakeSupabaseFetch } from './fake-supabase';

// The weak network of a grid worker's phone, at the HTTP boundary to Supabase: the real SQL
// answers; the network in between is down, or loses an answer after the server acted.
let db: TestDatabase;
let backend: Backend;
let network: 'up' | 'down' | 'loses-answers' = 'up';
let own = { code: '', lon: 0, lat: 0 };
const worker = DEMO_MEMBERS.find((m) => m.role === 'worker')?.userId as string;

beforeAll(async () => {
  db = await demoPglite();
  await installFakeStorage(db.client);
  await seedDepartments(db.client);
  own = await ownCell(db.client);
  const server = fakeSupabaseFetch(db.client);
  backend = createSupabaseBackend({
    url: 'http://supabase.test',
    anonKey: 'anon-key',
    persistSession: false,
    webSocket: WebSocket,
    fetch: async (input, init) => {
      if (network === 'down') throw new TypeError('Failed to fetch');
      const answer = await server(input, init);
      if (network === 'loses-answers' && new URL(new Request(input).url).pathname.startsWith('/rest/'))
        throw new TypeError('Failed to fetch');
      return answer;
    },
  });
  await backend.signIn({ kind: 'password', email: 'worker@demo.gridatlas.local', password: 'demo-password' });
});
afterAll(() => db.close());

const item = (over: Partial<OutboxItem> & Pick<OutboxItem, 'id' | 'createdAt'>): OutboxItem =>
  ({ userId: worker, attempts: 1, state: 'waiting', refusal: null, ...over }) as OutboxItem;
const report = (key: string, description: string) => ({
  kind: 'report' as const,
  citizen: null,
  report: {
    source: 'grid_worker' as const,
    category: '设施损坏',
    severity: 2,
    description,
    lngLat: [own.lon, own.lat] as [number, number],
    photos: [{ name: '现场.jpg', mime: 'image/jpeg' as const, width: 1, height: 1, bytes: base64ToBytes(JPEG_1PX) }],
    key,
  },
});
const casesWith = async (description: string) =>
  (await db.client.query<{ id: string }>('select id from cases where description = $1', [description])).rows;

it('says a send without a network is unavailable: what the outbox waits on', async () => {
  network = 'down';
  try {
    await expect(backend.reportCase(report(randomKey(), '断网上报').report)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(backend.transitionCase('00000000-0000-4000-8000-000000000000', 'verify')).rejects.toMatchObject({ code: 'unavailable' });
  } finally {
    network = 'up';
  }
});

it('sends what waited, oldest first, once each, when the network is back; a lost answer is sent again and not doubled', async () => {
  const store = memoryOutboxStore();
  const [a, b] = [randomKey(), randomKey()];
  await store.put(item({ id: b, createdAt: '2026-12-06T10:05:00Z', ...report(b, '离线上报 2') }));
  await store.put(item({ id: a, createdAt: '2026-12-06T10:00:00Z', ...report(a, '离线上报 1') }));

  network = 'down';
  const offline = await sendOutbox(backend, store, worker);
  expect(offline).toMatchObject({ sent: [], refused: [], stopped: true });
  expect((await store.list()).find((i) => i.id === a)?.attempts).toBe(2);

  // The server takes the first report, but its answer is lost on the way back.
  network = 'loses-answers';
  const lost = await sendOutbox(backend, store, worker);
  expect(lost.stopped).toBe(true);
  expect(await casesWith('离线上报 1')).toHaveLength(1);
  expect(await store.list()).toHaveLength(2);

  network = 'up';
  const back = await sendOutbox(backend, store, worker);
  expect(back.stopped).toBe(false);
  expect(back.sent.map((s) => [s.item.id, s.repeated])).toEqual([
    [a, true],
    [b, false],
  ]);
  expect(await store.list()).toEqual([]);
  const [first] = await casesWith('离线上报 1');
  expect(await casesWith('离线上报 2')).toHaveLength(1);
  expect(back.sent[0]?.caseId).toBe(first?.id);
  // The photo went with it, once.
  const photos = await db.client.query<{ n: number }>('select count(*)::int n from case_photos where case_id = $1', [first?.id]);
  expect(photos.rows[0]?.n).toBe(1);
  // Uploaded once too: the send after the lost answer uploaded onto the same object, none is left unused.
  const unused = await db.client.query<{ n: number; all: number }>(
    `select count(*) filter (where not exists (select 1 from case_photos p where p.storage_path = o.name))::int n, count(*)::int "all"
     from storage.objects o where o.bucket_id = 'case-photos'`,
  );
  expect(unused.rows[0]).toEqual({ n: 0, all: 2 });
});

it('keeps what the database refuses, with its reason, and sends the rest; another member’s items stay', async () => {
  const store = memoryOutboxStore();
  const { id: caseId } = await backend.reportCase(report(randomKey(), '离线核查').report);
  const stale = randomKey();
  const next = randomKey();
  const someoneElse = randomKey();
  // A check of a case that is not answered: the database refuses it, naming the allowed steps.
  await store.put(
    item({
      id: stale,
      createdAt: '2026-12-06T10:00:00Z',
      kind: 'step',
      caseId,
      caseCode: 'AJ',
      action: 'verify',
      options: { note: '', departmentId: null, expectedVersion: 1, photos: [], key: stale },
    }),
  );
  await store.put(item({ id: next, createdAt: '2026-12-06T10:01:00Z', ...report(next, '离线上报 3') }));
  await store.put(
    item({ id: someoneElse, createdAt: '2026-12-06T09:00:00Z', userId: DEMO_MEMBERS[0]?.userId, ...report(someoneElse, '别人的') }),
  );
  const result = await sendOutbox(backend, store, worker);
  expect(result.sent.map((s) => s.item.id)).toEqual([next]);
  expect(result.refused.map((r) => [r.id, r.state])).toEqual([[stale, 'refused']]);
  const kept = await store.list();
  expect(kept.map((k) => k.id).sort()).toEqual([stale, someoneElse].sort());
  expect(kept.find((k) => k.id === stale)?.refusal).toMatch(/"verify" is not a next step/);
  expect(await casesWith('别人的')).toHaveLength(0);
  // A refused item is not sent again on the next pass: it waits for the member.
  expect((await sendOutbox(backend, store, worker)).sent).toEqual([]);
});
