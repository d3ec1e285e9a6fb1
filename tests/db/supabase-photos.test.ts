import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Backend } from '../../src/data/backend';
import { createSupabaseBackend } from '../../src/data/supabase/supabase-backend';
import { base64ToBytes } from '../../src/domain/photos';
import { JPEG_1PX } from '../fixtures/photos';
import { demoPglite, type TestDatabase } from './databases';
import { fakeSupabaseFetch } from './fake-supabase';

// PostgreSQL behind PostgREST without Supabase Storage: photos still go with the step, as bytes.
let db: TestDatabase;
let backend: Backend;
beforeAll(async () => {
  db = await demoPglite();
  backend = createSupabaseBackend({
    url: 'http://supabase.test',
    anonKey: 'anon-key',
    fetch: fakeSupabaseFetch(db.client),
    persistSession: false,
    webSocket: WebSocket,
  });
});
afterAll(() => db.close());

it('without Storage, supabase mode sends a photo as bytes and the database keeps it', async () => {
  await backend.signIn({ kind: 'password', email: 'command@demo.gridatlas.local', password: 'demo-password' });
  const bytes = base64ToBytes(JPEG_1PX);
  const { id } = await backend.reportCase({
    source: 'camera',
    category: '占道经营',
    severity: 2,
    description: '门口堆物',
    lngLat: [112.92, 28.19],
    photos: [{ name: '现场.jpg', mime: 'image/jpeg', width: 1, height: 1, bytes }],
  });
  const [photo] = await backend.getCasePhotos(id);
  expect(photo).toMatchObject({ name: '现场.jpg', storagePath: null, size: bytes.length });
  const image = await backend.getCasePhotoImage(photo as NonNullable<typeof photo>);
  expect(new Uint8Array(await image.arrayBuffer())).toEqual(bytes);
});
