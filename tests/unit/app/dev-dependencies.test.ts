import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIMIZED_DEPENDENCIES } from '../../../vite.config';

const root = new URL('../../../', import.meta.url).pathname;
/** Files that only Node runs (the CLI, scripts' helpers): their imports never reach the browser. */
const NODE_ONLY = /^src\/(cli\/|wasm\/|data\/node-postgres\.ts|data\/read-migrations\.ts|data\/backend\.contract\.ts|demo\/write-demo\.ts)/;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(root, path)).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the dev server pre-bundles every dependency the browser imports', () => {
  it('lists each package imported (not as a type only) by browser code in OPTIMIZED_DEPENDENCIES', () => {
    const imported = new Set<string>();
    for (const file of sources('src').filter((f) => !NODE_ONLY.test(f))) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/(?:^import (?!type )[^;]*? from|^export [^;]*? from|import\()\s*'([^'.][^']*)'/gm)) {
        const name = m[1] as string;
        if (!name.startsWith('node:') && !name.startsWith('@electric-sql/pglite') && name !== 'geojson') imported.add(name);
      }
    }
    expect([...imported].filter((name) => !OPTIMIZED_DEPENDENCIES.includes(name)).sort()).toEqual([]);
    expect(OPTIMIZED_DEPENDENCIES.filter((name) => !imported.has(name)).sort()).toEqual([]);
  });
});
