import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { RPC_NAMES, type RpcName } from '../../src/data/rpc';
import { asUserTransaction, rpcAsUser } from '../../src/data/rpc-as-user';
import type { SqlClient } from '../../src/data/sql-client';
import { insertStorageObject } from './fake-storage';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Returns an unsigned JWT with Supabase's claims for a user (the fake trusts it; Supabase verifies). */
function jwtFor(sub: string): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 })}.sig`;
}

function subOf(authorization: string | null): string | null {
  const token = authorization?.replace(/^Bearer /, '') ?? '';
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string }).sub ?? null;
  } catch {
    return null;
  }
}

/** The demo members' password (as the README's Supabase setup gives them). */
const DEMO_PASSWORD = 'demo-password';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * Returns a fetch that stands in for a hosted Supabase project at the HTTP boundary: Auth's
 * password grant for the demo members (`<role>@demo.gridatlas.local`, `demo-password`) and PostgREST's
 * `/rest/v1/rpc/<fn>`, answered by the real SQL functions on the given database as the JWT's user;
 * and Storage's upload and download of objects (`/storage/v1/object/<bucket>/<name>`), whose rows
 * in storage.objects are written and read as the JWT's user, so the bucket's policies decide (the
 * database needs the schema of installFakeStorage); the bytes are kept in memory, as Supabase keeps
 * them outside the database.
 */
export function fakeSupabaseFetch(client: SqlClient): typeof fetch {
  const objects = new Map<string, { bytes: Uint8Array<ArrayBuffer>; mime: string }>();
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname === '/auth/v1/token' && url.searchParams.get('grant_type') === 'password') {
      const { email, password } = (await request.json()) as { email: string; password: string };
      const m = DEMO_MEMBERS.find((x) => `${x.role}@demo.gridatlas.local` === email);
      if (!m || password !== DEMO_PASSWORD) return json(400, { error: 'invalid_grant', error_description: 'Invalid login credentials' });
      const user = {
        id: m.userId,
        aud: 'authenticated',
        role: 'authenticated',
        email,
        app_metadata: {},
        user_metadata: {},
        created_at: new Date(0).toISOString(),
      };
      return json(200, {
        access_token: jwtFor(m.userId),
        token_type: 'bearer',
        expires_in: 3600,
        expires_at: Math.floor(Date.now() / 1000) + 3600,
        refresh_token: 'refresh',
        user,
      });
    }
    if (url.pathname === '/auth/v1/logout') return new Response(null, { status: 204 });
    const rpc = /^\/rest\/v1\/rpc\/([a-z0-9_]+)$/.exec(url.pathname);
    if (rpc && RPC_NAMES.includes(rpc[1] as RpcName)) {
      const args = request.method === 'GET' ? Object.fromEntries(url.searchParams) : ((await request.json()) as Record<string, unknown>);
      const sub = subOf(request.headers.get('authorization'));
      try {
        return json(200, await rpcAsUser(client, sub, rpc[1] as RpcName, args));
      } catch (error) {
        const e = error as { code?: string; message?: string; detail?: string };
        const status = e.code === '42501' ? (sub ? 403 : 401) : e.code === 'GA409' ? 409 : 400;
        return json(status, { code: e.code, message: e.message, details: e.detail ?? null, hint: null });
      }
    }
    const object = /^\/storage\/v1\/object\/([a-z0-9-]+)\/(.+)$/.exec(url.pathname);
    // Without the Storage schema this is PostgREST alone: no such route.
    const storage = object && (await client.query<{ t: string | null }>(`select to_regclass('storage.objects')::text t`)).rows[0]?.t;
    if (object && storage) {
      const [bucket, name] = [object[1] as string, decodeURIComponent(object[2] as string)];
      const sub = subOf(request.headers.get('authorization'));
      // Storage answers its errors with status 400 and the HTTP status it means in statusCode.
      const storageError = (statusCode: string, error: string, message: string) => json(400, { statusCode, error, message });
      if (request.method === 'POST') {
        const bytes = new Uint8Array(await request.arrayBuffer());
        const mime = request.headers.get('content-type') ?? 'application/octet-stream';
        // The bucket's limits, as Storage applies them before any policy.
        const { rows } = await client.query<{ size: string | null; mimes: string[] | null }>(
          'select file_size_limit size, allowed_mime_types mimes from storage.buckets where id = $1',
          [bucket],
        );
        const limits = rows[0];
        if (!limits) return storageError('404', 'Bucket not found', 'Bucket not found');
        if (limits.size !== null && bytes.length > Number(limits.size))
          return storageError('413', 'Payload too large', 'The object exceeded the maximum allowed size');
        if (limits.mimes && !limits.mimes.includes(mime))
          return storageError('415', 'invalid_mime_type', `mime type ${mime} is not supported`);
        try {
          await asUserTransaction(client, sub, (tx) => insertStorageObject(tx, bucket, name, bytes.length, mime));
        } catch (error) {
          const e = error as { code?: string; message?: string };
          if (e.code === '23505') return storageError('409', 'Duplicate', 'The resource already exists');
          return storageError('403', 'Unauthorized', e.message ?? 'refused');
        }
        objects.set(`${bucket}/${name}`, { bytes, mime });
        return json(200, { Id: name, Key: `${bucket}/${name}` });
      }
      if (request.method === 'GET') {
        const seen = await asUserTransaction(client, sub, async (tx) => {
          const { rows } = await tx.query('select 1 from storage.objects where bucket_id = $1 and name = $2', [bucket, name]);
          return rows.length > 0;
        });
        const stored = objects.get(`${bucket}/${name}`);
        if (!seen || !stored) return storageError('404', 'not_found', 'Object not found');
        return new Response(stored.bytes, { status: 200, headers: { 'content-type': stored.mime } });
      }
    }
    return json(404, { message: `no route for ${request.method} ${url.pathname}` });
  };
}
