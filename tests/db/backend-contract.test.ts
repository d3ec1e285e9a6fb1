import WebSocket from 'ws';
import { backendContract } from '../../src/data/backend.contract';
import { rpcAsUser } from '../../src/data/rpc-as-user';
import { createRpcBackend } from '../../src/data/rpc-backend';
import { createSupabaseBackend } from '../../src/data/supabase/supabase-backend';
import { demoPglite, demoPostgres } from './databases';
import { installFakeStorage } from './fake-storage';
import { fakeSupabaseFetch } from './fake-supabase';

backendContract('embedded (PGlite + PostGIS)', async () => {
  const db = await demoPglite();
  return { backend: createRpcBackend('embedded', (u, fn, args) => rpcAsUser(db.client, u, fn, args), null), close: db.close };
});

backendContract('embedded over PostgreSQL + PostGIS (DATABASE_URL)', async () => {
  const db = await demoPostgres();
  if (!db) return null;
  return { backend: createRpcBackend('embedded', (u, fn, args) => rpcAsUser(db.client, u, fn, args), null), close: db.close };
});

backendContract('supabase (supabase-js over a fake HTTP boundary to PGlite)', async () => {
  const db = await demoPglite();
  await installFakeStorage(db.client);
  const backend = createSupabaseBackend({
    url: 'http://supabase.test',
    anonKey: 'anon-key',
    fetch: fakeSupabaseFetch(db.client),
    persistSession: false,
    webSocket: WebSocket,
  });
  return { backend, close: db.close };
});
