// Golden files for the CLI: each case runs one command on the inputs in tests/golden/input and
// compares its exit code, its --json summary and every file it writes with what is kept in
// tests/golden/expected/<case>/. The cases cover tiling validation (a clean tiling, one with
// every kind of flaw, a community with an enclave and a second part), the cell export, and the
// JSON of every command. After a deliberate change of output, rewrite them and read the diff:
//   npm run golden:update
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const INPUT = 'tests/golden/input';
const EXPECTED = 'tests/golden/expected';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** A case: its name, and the arguments after `cli` (`IN/` the inputs, `OUT/` the case's scratch directory). */
const CASES: { name: string; args: string }[] = [
  { name: 'validate-clean', args: 'validate IN/cells.geojson --boundary IN/boundary.geojson' },
  { name: 'validate-flawed', args: 'validate IN/cells-flawed.geojson --boundary IN/boundary.geojson' },
  { name: 'validate-enclave', args: 'validate IN/cells-enclave.geojson --boundary IN/boundary-enclave.geojson' },
  { name: 'validate-size', args: 'validate IN/cells.geojson --max-area-m2 40000 --min-households 60' },
  { name: 'export-geojson', args: 'export IN/cells.geojson --format geojson --out OUT/cells.geojson' },
  { name: 'export-csv', args: 'export IN/cells.geojson --format csv --out OUT/cells.csv' },
  { name: 'assign', args: 'assign --cells IN/cells.geojson --points IN/events.csv --out OUT/assigned.csv' },
  { name: 'hotspots', args: 'hotspots --cells IN/cells.geojson --points IN/events.csv --weight severity --out OUT/hot.geojson' },
  {
    name: 'classify',
    args: 'classify --cells IN/cells.geojson --points IN/events.csv --rules IN/rules.json --time occurred_at --half-life-days 30 --out OUT/classes.csv',
  },
  { name: 'heatmap', args: 'heatmap --points IN/events.csv --bandwidth-m 150 --cell-m 50 --out OUT/heat.json' },
];

const scratch = mkdtempSync(join(tmpdir(), 'golden-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('CLI golden files', () => {
  it.each(CASES)('$name', ({ name, args }) => {
    const out = join(scratch, name);
    mkdirSync(out, { recursive: true });
    const argv = args.split(' ').map((a) => a.replace(/^IN\//, `${INPUT}/`).replace(/^OUT\//, `${out}/`));
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...argv, '--json'], { encoding: 'utf8' });
    // Paths in the summary name the scratch directory: written as OUT/ so they compare.
    const summary: unknown = JSON.parse(r.stdout.replaceAll(`${out}/`, 'OUT/'));
    const actual = new Map<string, string>([['result.json', `${JSON.stringify({ exit: r.status, summary }, null, 1)}\n`]]);
    for (const file of readdirSync(out).sort()) actual.set(file, readFileSync(join(out, file), 'utf8'));

    const dir = join(EXPECTED, name);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of actual) writeFileSync(join(dir, file), text);
    }
    expect([...actual.keys()].sort(), 'the files the command wrote').toEqual(readdirSync(dir).sort());
    for (const [file, text] of actual) {
      // Line by line, so that a failure shows where they part.
      expect(text.split('\n'), `${name}/${file}`).toEqual(readFileSync(join(dir, file), 'utf8').split('\n'));
    }
  });
});
