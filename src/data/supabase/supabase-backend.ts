import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { CASE_PHOTO_BUCKET, keyedPhotoPath, newPhotoPath } from '../../domain/photos';
import type { Backend, Session, SignInRequest } from '../backend';
import { BackendError } from '../backend';
import { type ChangeTopic, LIVE_TABLES } from '../live-changes';
import { toBackendError } from '../rows';
import { type RpcName, type RpcTransport, rpcReads } from '../rpc';

/** Where the Supabase project is; `fetch` replaces the HTTP client (tests only). */
export interface SupabaseOptions {
  url: string;
  anonKey: string;
  fetch?: typeof fetch;
  /** Keep the session in memory only (tests, server-side use). */
  persistSession?: boolean;
  /** WebSocket constructor for Realtime where the runtime has none (Node 20). */
  webSocket?: unknown;
}

const anonSession: Session = { userId: null, role: 'anon', displayName: '' };

/** A Storage failure as a BackendError: Storage says the HTTP status it means in statusCode. */
const storageStatus = (error: { statusCode?: string | number; status?: number }) => String(error.statusCode ?? error.status ?? '');

function storageError(error: { message: string; statusCode?: string | number; status?: number }): BackendError {
  const status = storageStatus(error);
  const code =
    status === '403' || status === '401'
      ? 'forbidden'
      : status === '404'
        ? 'not_found'
        : status.startsWith('4')
          ? 'invalid'
          : 'unavailable';
  return new BackendError(code, `photo storage: ${error.message}`);
}

/** Returns a Backend over a Supabase project: PostgREST RPCs for reads, Supabase Auth for sign-in. */
export function createSupabaseBackend(options: SupabaseOptions): Backend {
  const client: SupabaseClient = createClient(options.url, options.anonKey, {
    auth: { persistSession: options.persistSession ?? true, autoRefreshToken: options.persistSession ?? true },
    global: options.fetch ? { fetch: options.fetch } : {},
    ...(options.webSocket ? { realtime: { transport: options.webSocket as never } } : {}),
  });
  const transport: RpcTransport = {
    rpc: async <T>(fn: RpcName, args: Record<string, unknown>) => {
      const { data, error, status } = await client.rpc(fn, args);
      // No answer at all (status 0: no network), or a gateway with no server behind it.
      if (error && (status === 0 || (status >= 502 && status <= 504) || status === 408))
        throw new BackendError('unavailable', `no connection to the server (${fn}): ${error.message}`);
      if (error) throw toBackendError(error);
      return data as T;
    },
    // Photos go to Storage first; the step then names them (the database checks the upload).
    files: {
      put: async (bytes, mime, keyed) => {
        const { data } = await client.auth.getSession();
        const userId = data.session?.user.id;
        if (!userId) throw new BackendError('forbidden', 'sign in to upload photos');
        const path = keyed ? await keyedPhotoPath(userId, mime, keyed.key, keyed.place) : newPhotoPath(userId, mime);
        const { error } = await client.storage.from(CASE_PHOTO_BUCKET).upload(path, bytes, { contentType: mime, upsert: false });
        // PostgreSQL behind PostgREST alone has no Storage (no route, or no bucket): the database keeps the bytes.
        if (error && (storageStatus(error) === '404' || /bucket not found/i.test(error.message))) return null;
        // Uploaded by an earlier send of the same step (the answer was lost after it): that object is this photo.
        if (error && keyed && storageStatus(error) === '409') return path;
        if (error) throw storageError(error);
        return path;
      },
      get: async (path) => {
        const { data, error } = await client.storage.from(CASE_PHOTO_BUCKET).download(path);
        if (error) throw storageError(error);
        return data;
      },
    },
  };
  // The member last read for a signed-in user: without a network the app opens as them (their outbox with it).
  const kept = (userId: string) => `gridatlas-member:${userId}`;
  const storage = typeof localStorage === 'undefined' ? null : localStorage;
  const getSession = async (): Promise<Session> => {
    const { data } = await client.auth.getSession();
    if (!data.session) return anonSession;
    const userId = data.session.user.id;
    try {
      const member = (await transport.rpc<Session | null>('current_member', {})) ?? { ...anonSession, userId };
      storage?.setItem(kept(userId), JSON.stringify(member));
      return member;
    } catch (error) {
      const last = storage?.getItem(kept(userId));
      if (error instanceof BackendError && error.code === 'unavailable' && last) return JSON.parse(last) as Session;
      throw error;
    }
  };
  let channels = 0;
  return {
    kind: 'supabase',
    getSession,
    // Realtime tells of every committed row of the live tables the user's policies let them read.
    subscribeChanges: (listener) => {
      channels += 1;
      const channel = client.channel(`gridatlas-live-${channels}`);
      for (const [table, topic] of Object.entries(LIVE_TABLES) as [string, ChangeTopic][]) {
        channel.on('postgres_changes', { event: '*', schema: 'public', table }, () => listener({ topics: [topic], own: false }));
      }
      channel.subscribe();
      return () => void client.removeChannel(channel);
    },
    listDemoMembers: async () => [],
    signIn: async (request: SignInRequest) => {
      if (request.kind !== 'password') throw new BackendError('invalid', 'Supabase signs in with email and password');
      const { error } = await client.auth.signInWithPassword({ email: request.email, password: request.password });
      if (error) throw new BackendError('forbidden', error.message);
      return getSession();
    },
    signOut: async () => {
      await client.auth.signOut();
      return anonSession;
    },
    ...rpcReads(transport),
  };
}
