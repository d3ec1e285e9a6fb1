import type { Backend, Session, SignInRequest } from './backend';
import { DEMO_MEMBERS } from './demo-members';
import { toBackendError } from './rows';
import { type RpcName, type RpcTransport, rpcReads } from './rpc';

const anonSession: Session = { userId: null, role: 'anon', displayName: '' };

/**
 * Returns a Backend over a function that calls SQL functions as a user: a PGlite worker in the
 * browser, or PGlite / PostgreSQL directly in tests. It acts as one demo member at a time.
 */
export function createRpcBackend(
  kind: Backend['kind'],
  call: (userId: string | null, fn: RpcName, args: Record<string, unknown>) => Promise<unknown>,
  initialUserId: string | null,
): Backend {
  let userId = initialUserId;
  const transport: RpcTransport = {
    rpc: async <T>(fn: RpcName, args: Record<string, unknown>) => {
      try {
        return (await call(userId, fn, args)) as T;
      } catch (error) {
        throw toBackendError(error);
      }
    },
  };
  const getSession = async (): Promise<Session> => (await transport.rpc<Session | null>('current_member', {})) ?? anonSession;
  return {
    kind,
    getSession,
    listDemoMembers: async () => DEMO_MEMBERS.map((m) => ({ userId: m.userId, role: m.role, displayName: m.displayName })),
    signIn: async (request: SignInRequest) => {
      if (request.kind !== 'demo') throw toBackendError({ code: '22023', message: 'the embedded database signs in demo members only' });
      userId = request.userId;
      return getSession();
    },
    signOut: async () => {
      userId = null;
      return anonSession;
    },
    ...rpcReads(transport),
  };
}
