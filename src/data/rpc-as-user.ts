import { RPC_NAMES, type RpcName } from './rpc';
import type { SqlClient } from './sql-client';

/**
 * Calls a SQL function as a user, the way PostgREST does on Supabase: in one transaction, with
 * `set local role authenticated` (or anon when `userId` is null) and `request.jwt.claims`
 * holding `sub`, so auth.uid() and every row level security policy see that user.
 * Returns the function's single result value.
 */
export async function rpcAsUser<T>(client: SqlClient, userId: string | null, fn: RpcName, args: Record<string, unknown>): Promise<T> {
  return (await callAsUser<T>(client, userId, fn, args, false)).result;
}

/**
 * Returns what rpcAsUser returns and whether the call wrote anything (its transaction was given
 * an id: PostgreSQL assigns one at the first write, and only then), for telling the live views.
 */
export function rpcAsUserWrote<T>(
  client: SqlClient,
  userId: string | null,
  fn: RpcName,
  args: Record<string, unknown>,
): Promise<{ result: T; wrote: boolean }> {
  return callAsUser<T>(client, userId, fn, args, true);
}

async function callAsUser<T>(
  client: SqlClient,
  userId: string | null,
  fn: RpcName,
  args: Record<string, unknown>,
  askWrote: boolean,
): Promise<{ result: T; wrote: boolean }> {
  if (!RPC_NAMES.includes(fn)) throw new Error(`unknown function "${fn}"`);
  const names = Object.keys(args);
  for (const name of names) {
    if (!/^p_[a-z_]+$/.test(name)) throw new Error(`bad argument name "${name}" for ${fn}`);
  }
  const call = `select ${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as result`;
  return asUserTransaction(client, userId, async (tx) => {
    // Objects and arrays travel as JSON text, as in PostgREST's JSON body; the function's
    // parameter types (jsonb) give them their type.
    const params = names.map((n) => {
      const v = args[n];
      return typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
    });
    const { rows } = await tx.query<{ result: T }>(call, params);
    const result = (rows[0]?.result ?? null) as T;
    if (!askWrote) return { result, wrote: false };
    const wrote = await tx.query<{ wrote: boolean }>('select pg_current_xact_id_if_assigned() is not null as wrote');
    return { result, wrote: wrote.rows[0]?.wrote === true };
  });
}

/**
 * Runs `fn` in one transaction as a user, the way Supabase's services do: `set local role
 * authenticated` (or anon when `userId` is null) and `request.jwt.claims` holding `sub`, so that
 * auth.uid() and every row level security policy see that user. Commits when `fn` resolves.
 */
export function asUserTransaction<T>(client: SqlClient, userId: string | null, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  return client.transaction(async (tx) => {
    await tx.exec(userId === null ? 'set local role anon' : 'set local role authenticated');
    const claims = userId === null ? { role: 'anon' } : { sub: userId, role: 'authenticated' };
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
    return fn(tx);
  });
}
