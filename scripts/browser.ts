/**
 * What the browser tests and benchmarks share: Debian's Chromium and its flags (src/cli/chromium.ts,
 * which the CLI's reports use too), and a preview server of a built app.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export { CHROMIUM_ARGS, CHROMIUM_PATH } from '../src/cli/chromium';

/**
 * Serves the built app in `outDir` with `vite preview` on 127.0.0.1:`port` and returns its root
 * URL once it answers, and how to stop it.
 */
export async function servePreview(root: string, outDir: string, port: number): Promise<{ url: string; stop(): void }> {
  const server: ChildProcess = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    // stdin stays open: the preview server stops when it reaches its end.
    { cwd: root, stdio: ['pipe', 'ignore', 'inherit'], detached: true },
  );
  const stop = () => {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  };
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error(`the preview server did not answer at ${url}`);
}
