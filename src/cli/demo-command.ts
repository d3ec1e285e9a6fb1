import { generateDistrict } from '../demo/generate-district';
import { writeDemo } from '../demo/write-demo';
import { type Command, integerOption, positiveOption, UsageError } from './command';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'generate the demo district (boundaries, cells, roads, people, places, things, organisations, events)',
  usage: 'demo --out DIR [--seed N] [--scale K] [--end-date YYYY-MM-DD] [--json]',
  options: {
    out: { type: 'string' },
    seed: { type: 'string' },
    scale: { type: 'string' },
    'end-date': { type: 'string' },
  },
  help: [
    '--out DIR          folder to write the files into (created if missing)',
    '--seed N           integer seed; the same seed gives the same files (default 1)',
    '--scale K          multiplies entity and event counts, e.g. 17 for about 10^6 entities (default 1, at most 40)',
    '--end-date DATE    last day of the 180-day event window (default 2026-10-31)',
  ],
  async run(values) {
    const out = values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('--out DIR is required');
    const seed = integerOption(values, 'seed', 1);
    const scale = positiveOption(values, 'scale', 1);
    if (scale > 40) throw new UsageError(`--scale must be at most 40, got ${scale}`);
    const endDate = (values['end-date'] as string | undefined) ?? '2026-10-31';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate) || Number.isNaN(Date.parse(endDate))) {
      throw new UsageError(`--end-date must be a date YYYY-MM-DD, got "${endDate}"`);
    }
    const demo = generateDistrict({ seed, scale, endDate });
    const files = await writeDemo(demo, out);
    const counts = {
      streets: demo.streets.features.length,
      communities: demo.communities.features.length,
      cells: demo.cells.features.length,
      roads: demo.roads.features.length,
      buildings: demo.buildings.features.length,
      addresses: demo.gazetteer.length,
      people: demo.people.length,
      places: demo.places.length,
      things: demo.things.length,
      organisations: demo.organisations.length,
      events: demo.events.length,
    };
    return {
      json: { out, seed, scale, files, counts },
      lines: [`wrote ${files.length} files to ${out}`, ...Object.entries(counts).map(([k, v]) => `  ${k}: ${v}`)],
      exitCode: 0,
    };
  },
};
