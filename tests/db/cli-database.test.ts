import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { createPool } from '../../src/data/node-postgres';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('migrate and load-demo refuse a missing or malformed database URL', () => {
  const r = cli(['migrate'], { DATABASE_URL: '' });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--database-url URL is required');
  expect(cli(['load-demo', '--database-url', 'mysql://x']).stderr).toContain('must be a postgres:// URL');
});

it('migrates a fresh PostgreSQL database and loads the demo district into it (DATABASE_URL)', async (ctx) => {
  const url = process.env.DATABASE_URL;
  if (!url) return ctx.skip();
  const admin = createPool(url);
  const name = `gridatlas_cli_${process.pid}`;
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  try {
    const migrated = cli(['migrate', '--database-url', target.toString(), '--json']);
    expect(migrated.code).toBe(0);
    expect((JSON.parse(migrated.stdout) as { applied: string[] }).applied.length).toBeGreaterThan(3);
    expect(JSON.parse(cli(['migrate', '--database-url', target.toString(), '--json']).stdout)).toEqual({ applied: [] });
    const loaded = cli(['load-demo', '--database-url', target.toString(), '--scale', '0.1', '--json']);
    expect(loaded.code).toBe(0);
    expect((JSON.parse(loaded.stdout) as { counts: { events: number } }).counts.events).toBe(2_000);
    const again = cli(['load-demo', '--database-url', target.toString()]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds cells');
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}, 180_000);
