/**
 * Browser benchmark (not a test): an atlas of 100 cells printed headless, as `npm run cli -- atlas`
 * does (the built app in Debian's Chromium on a new profile: the database's boot, the cells read
 * four at a time, 103 A4 pages printed), against the naive way, a zone report per cell, each
 * `npm run cli -- report` with its own browser and boot (measured on 5 cells, times 100), in the
 * same process. Needs the app built in dist-bench-boot (scripts/bench-boot.ts builds it).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atlasCommand, reportCommand } from '../src/cli/report-command';

const root = new URL('..', import.meta.url).pathname;
const app = join(root, 'dist-bench-boot');
const CELLS = 100;
const NAIVE_SAMPLE = 5;
const cells = (
  JSON.parse(readFileSync(join(app, 'demo', 'cells.geojson'), 'utf8')) as { features: { properties: { code: string } }[] }
).features
  .map((f) => f.properties.code)
  .sort()
  .slice(0, CELLS);
const dir = mkdtempSync(join(tmpdir(), 'bench-atlas-'));
const quiet = process.stderr.write.bind(process.stderr);
// The commands' progress lines stay out of the report.
process.stderr.write = (() => true) as typeof process.stderr.write;

const started = performance.now();
const atlas = await atlasCommand.run({ cells: cells.join(','), out: join(dir, 'atlas.pdf'), app }, []);
const atlasMs = performance.now() - started;
const one: number[] = [];
for (const code of cells.slice(0, NAIVE_SAMPLE)) {
  const t = performance.now();
  await reportCommand.run({ cell: code, out: join(dir, `${code}.pdf`), app }, []);
  one.push(performance.now() - t);
}
process.stderr.write = quiet;
const perCell = one.reduce((a, b) => a + b, 0) / one.length;
const pages = (atlas.json as { pages: number }).pages;
process.stdout.write(
  [
    `atlas of ${CELLS} demo cells, headless Chromium (SwiftShader), the built app on a new profile`,
    `  atlas: ${(atlasMs / 1000).toFixed(1)} s for ${pages} A4 pages (boot included), ${((atlasMs / pages) * 1).toFixed(0)} ms a page`,
    `  baseline, a report per cell with its own browser: ${(perCell / 1000).toFixed(1)} s a cell (mean of ${NAIVE_SAMPLE}), ≈ ${((perCell * CELLS) / 1000).toFixed(0)} s for ${CELLS}`,
    `  ratio: ${((perCell * CELLS) / atlasMs).toFixed(1)}× faster`,
    '',
  ].join('\n'),
);
