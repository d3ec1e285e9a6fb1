import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/demo/random';
import { rasterFrame } from '../../../src/geo/kernel-density';
import { directDensity } from '../../oracles/direct-density';

function cli(command: string, ...args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', command, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'risk-cli-'));
const D = 0.001;

/** A 5 × 5 lattice of cells 0.001° wide from (112.9, 28.2), codes by row from the south-west. */
function cellsFile(): string {
  const features = [];
  for (let row = 0; row < 5; row++)
    for (let col = 0; col < 5; col++) {
      const w = 112.9 + col * D;
      const s = 28.2 + row * D;
      features.push({
        type: 'Feature',
        properties: { code: `4301990010010${String(row * 5 + col + 1).padStart(2, '0')}`, name: `c${row * 5 + col + 1}` },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [w, s],
              [w + D, s],
              [w + D, s + D],
              [w, s + D],
              [w, s],
            ],
          ],
        },
      });
    }
  const path = join(dir, 'cells.geojson');
  writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
  return path;
}

/** Events: a cluster in the north-east corner cells, one in most others, and three broken rows. */
function eventsFile(): string {
  const lines = ['id,lon,lat,severity,occurred_at'];
  let k = 0;
  for (let row = 0; row < 5; row++)
    for (let col = 0; col < 5; col++) {
      const many = row >= 3 && col >= 3 ? 12 : (row + col) % 3 === 0 ? 0 : 1;
      for (let i = 0; i < many; i++)
        lines.push(
          `E${++k},${(112.9 + (col + 0.2 + 0.06 * i) * D).toFixed(7)},${(28.2 + (row + 0.5) * D).toFixed(7)},${1 + (i % 3)},2026-06-0${1 + (i % 9)}T10:00:00+08:00`,
        );
    }
  lines.push('BAD1,abc,28.2,1,2026-06-01T10:00:00+08:00'); // not a number
  lines.push('BAD2,112.9012,28.2012,heavy,2026-06-01T10:00:00+08:00'); // bad weight
  lines.push('BAD3,112.9012,28.2012,2,yesterday'); // bad time
  const path = join(dir, 'events.csv');
  writeFileSync(path, lines.join('\n'));
  return path;
}

const cells = cellsFile();
const events = eventsFile();

describe('heatmap CLI', () => {
  it('writes {bbox, width, height, cell_m, values[]} per km² from the north-west corner, equal to the direct sum', () => {
    const out = join(dir, 'heat.json');
    const r = cli('heatmap', '--points', events, '--bandwidth-m', '120', '--cell-m', '25', '--out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the row without a readable longitude
    const summary = JSON.parse(r.stdout);
    // 4 × 12 in the cluster, 14 single events; weights and times are not read, so BAD2 and BAD3 count.
    expect(summary).toMatchObject({ points: 48 + 14 + 2, rejected: 1, units: 'events per km²' });
    const heat = JSON.parse(readFileSync(out, 'utf8'));
    expect(heat.values).toHaveLength(heat.width * heat.height);
    expect(heat.cell_m).toBe(25);
    // Compare with the direct sum over all events at a sample of raster cells.
    const csv = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => Number.isFinite(Number(l.split(',')[1])));
    const lng = csv.map((l) => Number(l.split(',')[1]));
    const lat = csv.map((l) => Number(l.split(',')[2]));
    const frame = rasterFrame(heat.bbox, 25);
    expect([frame.width, frame.height]).toEqual([heat.width, heat.height]);
    const sample = Array.from({ length: 60 }, (_, i) => Math.floor((i * heat.values.length) / 60));
    const direct = directDensity(lng, lat, null, frame, { kernel: 'quartic', bandwidthMeters: 120 }, sample);
    sample.forEach((cell, k) => {
      expect(Math.abs(heat.values[cell] - (direct[k] as number))).toBeLessThanOrEqual(heat.max * 1e-6);
    });
    // The north-east cluster is where the peak is: in the first rows (north), last columns (east).
    const peak = heat.values.indexOf(Math.max(...heat.values));
    expect(Math.floor(peak / heat.width)).toBeLessThan(heat.height / 2);
    expect(peak % heat.width).toBeGreaterThan(heat.width / 2);
    const rejected = readFileSync(join(dir, 'heat.rejected.csv'), 'utf8');
    expect(rejected).toContain('row,field,reason,id,lon,lat,severity,occurred_at');
    expect(rejected).toContain('longitude ""abc"" is not a number');
  });

  it('computes 120,000 events on every core, equal to the direct sum', () => {
    const rng = createRandom(5);
    const rows = ['id,lon,lat'];
    for (let i = 0; i < 120_000; i++)
      rows.push(`e${i},${(112.93 + rng.next() * 0.02).toFixed(6)},${(28.2 + rng.next() ** 2 * 0.015).toFixed(6)}`);
    const many = join(dir, 'many.csv');
    writeFileSync(many, `${rows.join('\n')}\n`);
    const out = join(dir, 'many.json');
    const r = cli('heatmap', '--points', many, '--bandwidth-m', '200', '--cell-m', '30', '--out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // In bands on every core, up to four threads.
    expect(JSON.parse(r.stdout).threads).toBe(Math.min(4, availableParallelism()));
    const heat = JSON.parse(readFileSync(out, 'utf8'));
    const lng = rows.slice(1).map((l) => Number(l.split(',')[1]));
    const lat = rows.slice(1).map((l) => Number(l.split(',')[2]));
    const frame = rasterFrame(heat.bbox, 30);
    // Every tenth row, at three columns: bands meet between rows, and a seam would show there.
    const sample: number[] = [];
    for (let row = 0; row < heat.height; row += 10)
      for (const f of [0.25, 0.5, 0.75]) sample.push(row * heat.width + Math.floor(f * heat.width));
    const direct = directDensity(lng, lat, null, frame, { kernel: 'quartic', bandwidthMeters: 200 }, sample);
    sample.forEach((cell, k) => {
      expect(Math.abs(heat.values[cell] - (direct[k] as number))).toBeLessThanOrEqual(heat.max * 1e-6);
    });
  });

  it('weights by a column and decays by age: weighted units, and old events weigh less', () => {
    const plain = join(dir, 'w.json');
    const decayed = join(dir, 'wd.json');
    const a = cli(
      'heatmap',
      '--points',
      events,
      '--bandwidth-m',
      '120',
      '--cell-m',
      '25',
      '--weight',
      'severity',
      '--time',
      'occurred_at',
      '--out',
      plain,
      '--json',
    );
    const b = cli(
      'heatmap',
      '--points',
      events,
      '--bandwidth-m',
      '120',
      '--cell-m',
      '25',
      '--weight',
      'severity',
      '--time',
      'occurred_at',
      '--half-life-days',
      '2',
      '--out',
      decayed,
      '--json',
    );
    expect(JSON.parse(a.stdout)).toMatchObject({ points: 48 + 14, rejected: 3, units: 'weighted events per km²' });
    expect(JSON.parse(b.stdout).max).toBeLessThan(JSON.parse(a.stdout).max);
    expect(readFileSync(join(dir, 'wd.rejected.csv'), 'utf8')).toContain('""heavy"" is not a weight');
  });

  it('names what is wrong with the options, with exit code 2', () => {
    expect(cli('heatmap', '--points', events, '--out', join(dir, 'x.json'), '--kernel', 'box')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--kernel must be one of quartic, gaussian, got "box"'),
    });
    expect(cli('heatmap', '--points', events, '--out', join(dir, 'x.json'), '--weight', 'sev')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no column "sev" (given with --weight)'),
    });
    expect(cli('heatmap', '--points', events, '--out', join(dir, 'x.json'), '--half-life-days', '7')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--half-life-days needs --time COL'),
    });
    expect(cli('heatmap', '--points', join(dir, 'none.csv'), '--out', join(dir, 'x.json')).code).toBe(2);
  });
});

describe('hotspots CLI', () => {
  it('writes every cell with count, gi_z, gi_p and hotspot; the cluster is hot', () => {
    const out = join(dir, 'hot.geojson');
    const r = cli('hotspots', '--cells', cells, '--points', events, '--out', out, '--json');
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ cells: 25, points: 64, outside: 0, rejected: 1, weights: 'queen' });
    const hot = JSON.parse(readFileSync(out, 'utf8'));
    expect(hot.features).toHaveLength(25);
    const byName = new Map(hot.features.map((f: { properties: Record<string, unknown> }) => [f.properties.name, f.properties]));
    expect(byName.get('c25')).toMatchObject({ count: 12, hotspot: 3 });
    expect(byName.get('c1')).toMatchObject({ count: 0, hotspot: 0 });
    for (const f of hot.features) {
      expect(Object.keys(f.properties)).toEqual(expect.arrayContaining(['code', 'count', 'gi_z', 'gi_p', 'hotspot']));
      expect(f.properties.gi_p).toBeGreaterThanOrEqual(0);
      expect(f.properties.gi_p).toBeLessThanOrEqual(1);
    }
  });

  it('says the data is too thin instead of calling cells hot on one event', () => {
    const one = join(dir, 'one-event.csv');
    const first = readFileSync(events, 'utf8').split('\n').slice(0, 2).join('\n');
    writeFileSync(one, `${first}\n`);
    const r = cli('hotspots', '--cells', cells, '--points', one, '--out', join(dir, 'thin.geojson'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('too few events to find hot spots: 1 in 1 of 25 cells (Gi* needs at least 30 events in at least 3 cells)');
  });

  it('takes distance-band weights and the FDR correction, and refuses a bad weights spec', () => {
    const out = join(dir, 'hot-d.geojson');
    const r = cli('hotspots', '--cells', cells, '--points', events, '--weights', 'distance:150', '--fdr', '--out', out, '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ weights: 'distance:150', fdr: true });
    const bad = cli('hotspots', '--cells', cells, '--points', events, '--weights', 'rook', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--weights must be "queen" or "distance:METRES"');
  });
});

describe('classify CLI', () => {
  const rules = join(dir, 'rules.json');
  writeFileSync(rules, JSON.stringify({ name: '按事件', weights: { events: 1 }, normalize: 'none', method: 'thresholds', A: 12, B: 1 }));

  it('classes every cell by the rule set, keeps manual classes, and says what changed and why', () => {
    // Cell c25 (in the cluster) was C by hand; c1 was A by rule.
    const features = JSON.parse(readFileSync(cells, 'utf8')).features;
    features[24].properties = { ...features[24].properties, class: 'C', class_source: 'manual' };
    features[0].properties = { ...features[0].properties, class: 'A', class_source: 'rule' };
    const withClasses = join(dir, 'cells-classed.geojson');
    writeFileSync(withClasses, JSON.stringify({ type: 'FeatureCollection', features }));
    const out = join(dir, 'classes.csv');
    const r = cli('classify', '--cells', withClasses, '--points', events, '--rules', rules, '--out', out, '--json');
    expect(r.code).toBe(1); // the unreadable event row
    // 3 cluster cells with 12 events → A (the 4th, c25, is kept C by hand); 14 single-event cells → B; 7 empty → C.
    expect(JSON.parse(r.stdout)).toMatchObject({ cells: 25, A: 3, B: 14, C: 8, manual: 1, changed: 1, rule: '按事件' });
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'code,name,class,previous_class,changed,source,score,events,households,key_persons,hazard_sites,risk_index,reason',
    );
    const c25 = rows.find((l) => l.includes(',c25,'));
    expect(c25).toContain(',c25,C,C,no,manual,12,12,');
    const c1 = rows.find((l) => l.includes(',c1,'));
    expect(c1).toContain(',c1,C,A,yes,rule,0,0,');
    expect(c1).toContain('""rule"":""按事件""');
  });

  it('makes the risk index as the rule set says (per km² or per 1,000 residents, hazard weight), --risk-per over it', () => {
    // c1 holds no events and 4 hazard sites; c2 one event and no hazards; c3 one event, 2 hazards, 50 residents.
    const features = JSON.parse(readFileSync(cells, 'utf8')).features;
    features[0].properties = { ...features[0].properties, hazard_sites: 4 };
    features[2].properties = { ...features[2].properties, hazard_sites: 2, residents: 50 };
    const withHazards = join(dir, 'cells-hazards.geojson');
    writeFileSync(withHazards, JSON.stringify({ type: 'FeatureCollection', features }));
    const riskRules = join(dir, 'risk-rules.json');
    const base = { name: '风险', weights: { risk_index: 1 }, normalize: 'none', method: 'thresholds', A: 1e9, B: 1e-9 };
    const run = (risk: object | undefined, ...extra: string[]) => {
      writeFileSync(riskRules, JSON.stringify({ ...base, risk }));
      const out = join(dir, 'risk-classes.csv');
      cli('classify', '--cells', withHazards, '--points', events, '--rules', riskRules, '--out', out, ...extra);
      const rows = readFileSync(out, 'utf8').trim().split('\n');
      const at = (name: string) => (rows.find((l) => l.includes(`,${name},`)) as string).split(',');
      // risk_index is the 12th column.
      return { c1: Number(at('c1')[11]), c2: Number(at('c2')[11]), c3: Number(at('c3')[11]), c3row: rows.find((l) => l.includes(',c3,')) };
    };
    const cellKm2 = 0.001 * 111.195 * (0.001 * 111.195 * Math.cos((28.2005 * Math.PI) / 180));
    const byDefault = run(undefined);
    expect(byDefault.c1).toBeCloseTo(4 / cellKm2, 0);
    const heavy = run({ per: 'area', hazardWeight: 2.5 });
    expect(heavy.c1).toBeCloseTo(2.5 * byDefault.c1, 6);
    expect(heavy.c2).toBeCloseTo(byDefault.c2, 6);
    expect(heavy.c3row).toContain('""risk"":{""per"":""area"",""hazardWeight"":2.5}');
    // Per 1,000 residents: c1 has none (counts as 1), c3 has 50; weight 2 per hazard site.
    const perResidents = run({ per: 'residents', hazardWeight: 2 });
    expect(perResidents.c1).toBeCloseTo(4 * 2 * 1000, 6);
    expect(perResidents.c3).toBeCloseTo(((byDefault.c3 - 2 / cellKm2) * cellKm2 + 2 * 2) * (1000 / 50), 3);
    // --risk-per goes over the rule set's unit, keeping its hazard weight.
    const overridden = run({ per: 'residents', hazardWeight: 2 }, '--risk-per', 'area');
    expect(overridden.c1).toBeCloseTo(2 * byDefault.c1, 6);
    writeFileSync(riskRules, JSON.stringify({ ...base, risk: { per: 'people', hazardWeight: 1 } }));
    const bad = cli('classify', '--cells', withHazards, '--points', events, '--rules', riskRules, '--out', join(dir, 'c.csv'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"risk.per" must be "area" (per km²) or "residents" (per 1,000 residents)');
  });

  it('names the problem of an unusable rule set', () => {
    const bad = join(dir, 'bad-rules.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', weights: { events: 1 }, normalize: 'none', method: 'thresholds', A: 1, B: 5 }));
    const r = cli('classify', '--cells', cells, '--points', events, '--rules', bad, '--out', join(dir, 'c.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`rules file ${bad}: the A threshold must be at least the B threshold`);
    // A weight of 1e308 made every score infinite and classed nearly every cell A: refused.
    writeFileSync(bad, JSON.stringify({ name: 'x', weights: { events: 1e308 }, normalize: 'none', method: 'thresholds', A: 5, B: 1 }));
    const huge = cli('classify', '--cells', cells, '--points', events, '--rules', bad, '--out', join(dir, 'c.csv'));
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain(`rules file ${bad}: the weight of "events" must be a number from 0 to 1000`);
  });
});

describe('export CLI', () => {
  it('writes cells as a zipped shapefile, CSV with WKT or GeoJSON, and names a bad format', async () => {
    const zip = join(dir, 'cells-out.zip');
    const r = cli('export', cells, '--format', 'shp', '--out', zip, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ cells: 25, format: 'shp', out: zip });
    const { unzipSync } = await import('fflate');
    expect(Object.keys(unzipSync(readFileSync(zip))).sort()).toEqual([
      'cells-out.cpg',
      'cells-out.dbf',
      'cells-out.prj',
      'cells-out.shp',
      'cells-out.shx',
    ]);
    const csv = join(dir, 'cells-out.csv');
    expect(cli('export', cells, '--format', 'csv', '--out', csv).code).toBe(0);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(26);
    const bad = cli('export', cells, '--format', 'kml', '--out', csv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of geojson, shp, csv, got "kml"');
  });
});
