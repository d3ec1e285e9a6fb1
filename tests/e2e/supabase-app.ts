import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { SqlClient } from '../../src/data/sql-client';
import { demoPglite } from '../db/databases';
import { installFakeStorage } from '../db/fake-storage';
import { fakeSupabaseFetch } from '../db/fake-supabase';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
};

let built: number | null = null;

/** The app built for Supabase mode, served with the Supabase HTTP boundary on one origin. */
export interface SupabaseApp {
  url: string;
  /** The database behind the boundary, as its owner (for checks). */
  db: SqlClient;
  /** How many requests reached the boundary's RPCs, per function (to count sends). */
  rpcCalls: Map<string, number>;
  close(): Promise<void>;
}

async function requestOf(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body });
}

/**
 * Builds the app for Supabase mode into dist-supabase (its URL this server's own) and serves it
 * on `port`: the built files, and the Supabase HTTP boundary (Auth, PostgREST's RPCs, Storage)
 * answered by the real SQL on PGlite holding the demo district (tests/db/fake-supabase.ts).
 * Realtime is not served: the app sees its socket refused, as behind a proxy that drops it.
 */
export async function startSupabaseApp(port: number): Promise<SupabaseApp> {
  const origin = `http://127.0.0.1:${port}`;
  const dir = 'dist-supabase';
  // Built once a test run for its port (the build holds its URL): a worker runs the files that
  // start it one after another.
  if (built !== port) {
    execFileSync('npx', ['vite', 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], {
      env: { ...process.env, VITE_SUPABASE_URL: origin, VITE_SUPABASE_ANON_KEY: 'anon-key' },
      stdio: 'inherit',
    });
    built = port;
  }
  const database = await demoPglite();
  await installFakeStorage(database.client);
  const boundary = fakeSupabaseFetch(database.client);
  const rpcCalls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', origin).pathname;
      if (/^\/(auth|rest|storage)\/v1\//.test(path)) {
        const rpc = /^\/rest\/v1\/rpc\/(\w+)/.exec(path)?.[1];
        if (rpc) rpcCalls.set(rpc, (rpcCalls.get(rpc) ?? 0) + 1);
        const answer = await boundary(await requestOf(req, origin));
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      }
      if (path.startsWith('/realtime/')) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Realtime is not served here');
        return;
      }
      let file = join(dir, normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, ''));
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(readFileSync(file));
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: origin,
    db: database.client,
    rpcCalls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
