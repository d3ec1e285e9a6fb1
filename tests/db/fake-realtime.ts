import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { asUserTransaction } from '../../src/data/rpc-as-user';
import type { SqlClient } from '../../src/data/sql-client';

/** A postgres_changes binding as the client asks for it on joining a channel. */
interface Binding {
  event: string;
  schema: string;
  table?: string;
  filter?: string;
}

interface Joined {
  socket: WebSocket;
  topic: string;
  joinRef: string;
  /** The JWT's user the channel was joined as (null: anon). */
  userId: string | null;
  bindings: Binding[];
}

function subOf(token: unknown): string | null {
  const payload = typeof token === 'string' ? token.split('.')[1] : undefined;
  if (!payload) return null;
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string }).sub ?? null;
  } catch {
    return null;
  }
}

export interface FakeRealtime {
  /** A WebSocket constructor for supabase-js that reaches this server instead of `supabaseUrl`. */
  webSocket: typeof WebSocket;
  /** The channels joined so far, with their users and bindings. */
  joined(): readonly Joined[];
  /**
   * Tells every channel bound to `table` of a committed row (what Realtime reads from the WAL),
   * each only if the row is one its user may read (the table's policies, asked as that user).
   */
  publish(table: string, row: { id: string | number } & Record<string, unknown>, type?: 'INSERT' | 'UPDATE'): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts a stand-in for Supabase Realtime at its boundary (the Phoenix channel protocol, serializer
 * 2.0.0, over a WebSocket): heartbeats, joins with postgres_changes bindings (each given an id, as
 * the server does), access tokens, leaves; rows are told by `publish`, filtered by row level
 * security as the joining user, on the given database.
 */
export async function startFakeRealtime(client: SqlClient, supabaseUrl: string): Promise<FakeRealtime> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const channels: Joined[] = [];
  server.on('connection', (socket) => {
    const send = (message: unknown[]) => socket.send(JSON.stringify(message));
    socket.on('message', (data) => {
      const [joinRef, ref, topic, event, payload] = JSON.parse(String(data)) as [
        string | null,
        string,
        string,
        string,
        Record<string, unknown>,
      ];
      const reply = (response: unknown) => send([joinRef, ref, topic, 'phx_reply', { status: 'ok', response }]);
      if (event === 'phx_join') {
        const config = payload.config as { postgres_changes?: Binding[] };
        const bindings = config.postgres_changes ?? [];
        channels.push({ socket, topic, joinRef: joinRef as string, userId: subOf(payload.access_token), bindings });
        reply({ postgres_changes: bindings.map((b, i) => ({ ...b, id: i + 1 })) });
      } else if (event === 'access_token') {
        for (const c of channels) if (c.socket === socket && c.topic === topic) c.userId = subOf(payload.access_token);
      } else if (event === 'phx_leave') {
        const i = channels.findIndex((c) => c.socket === socket && c.topic === topic);
        if (i >= 0) channels.splice(i, 1);
        reply({});
      } else reply({});
    });
    socket.on('close', () => {
      for (let i = channels.length - 1; i >= 0; i--) if (channels[i]?.socket === socket) channels.splice(i, 1);
    });
  });
  const origin = supabaseUrl.replace(/^http/, 'ws').replace(/\/$/, '');
  class Redirected extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(String(address).replace(origin, `ws://127.0.0.1:${port}`), protocols);
    }
  }
  return {
    webSocket: Redirected as unknown as typeof WebSocket,
    joined: () => channels,
    publish: async (table, row, type = 'INSERT') => {
      let told = 0;
      for (const c of channels) {
        const ids = c.bindings.flatMap((b, i) => ((b.table === table || b.table === undefined) && b.schema === 'public' ? [i + 1] : []));
        if (ids.length === 0 || c.socket.readyState !== WebSocket.OPEN) continue;
        const visible = await asUserTransaction(client, c.userId, async (tx) => {
          const { rows } = await tx.query<{ yes: boolean }>(`select exists (select 1 from ${table} where id::text = $1) yes`, [
            String(row.id),
          ]);
          return rows[0]?.yes === true;
        });
        if (!visible) continue;
        const data = { schema: 'public', table, commit_timestamp: new Date().toISOString(), type, record: row, columns: [], errors: null };
        c.socket.send(JSON.stringify([null, null, c.topic, 'postgres_changes', { ids, data }]));
        told += 1;
      }
      return told;
    },
    close: async () => {
      for (const socket of server.clients) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
