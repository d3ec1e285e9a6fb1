import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { RPC_NAMES, type RpcName } from '../../src/data/rpc';
import { rpcAsUser } from '../../src/data/rpc-as-user';
import type { SqlClient } from '../../src/data/sql-client';

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

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * Returns a fetch that stands in for a hosted Supabase project at the HTTP boundary: Auth's
 * password grant for the demo members (`<role>@demo.gridatlas.local`) and PostgREST's
 * `/rest/v1/rpc/<fn>`, answered by the real SQL functions on the given database as the JWT's user.
 */
export function fakeSupabaseFetch(client: SqlClient): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname === '/auth/v1/token' && url.searchParams.get('grant_type') === 'password') {
      const { email } = (await request.json()) as { email: string };
      const m = DEMO_MEMBERS.find((x) => `${x.role}@demo.gridatlas.local` === email);
      if (!m) return json(400, { error: 'invalid_grant', error_description: 'Invalid login credentials' });
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
    return json(404, { message: `no route for ${request.method} ${url.pathname}` });
  };
}
