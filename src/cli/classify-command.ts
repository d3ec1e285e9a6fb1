import { readFile, writeFile } from 'node:fs/promises';
import { type CellInputs, classifyCells, classReason, type RuleSet, ruleSetProblem, ruleSetRisk } from '../domain/classify';
import { riskIndex } from '../domain/risk-index';
import { countByCell } from '../geo/hotspots';
import { areaSquareMeters } from '../geo/planar';
import { toCsv } from '../import/csv';
import { type Command, UsageError } from './command';
import { EVENT_HELP, EVENT_OPTIONS, readEventPoints, writeRejectedRows } from './event-points';
import { readPolygonFeatures } from './read-input';

type CellProps = {
  code?: unknown;
  name?: unknown;
  class?: unknown;
  class_source?: unknown;
  households?: unknown;
  residents?: unknown;
  key_persons?: unknown;
  hazard_sites?: unknown;
} | null;

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'class cells A/B/C by a rule set over events, workload and risk index; manual classes are kept',
  usage:
    'classify --cells CELLS.geojson --points EVENTS.(csv|geojson) --rules RULES.json --out CLASSES.csv [--risk-per area|residents] [--json]',
  options: {
    ...EVENT_OPTIONS,
    cells: { type: 'string' },
    rules: { type: 'string' },
    out: { type: 'string' },
    'risk-per': { type: 'string' },
  },
  help: [
    '--cells FILE         GeoJSON cells with "code"; optional "name", "class" (the current class),',
    '                     "class_source" ("manual" keeps the class), "households", "residents",',
    '                     "key_persons", "hazard_sites"',
    ...EVENT_HELP,
    '--rules FILE         JSON rule set: {"name", "weights": {events, households, key_persons, hazard_sites,',
    '                     risk_index}, "normalize": rank|max|none, "method": thresholds|quantiles, "A", "B",',
    '                     optional "risk": {"per": area|residents, "hazardWeight"} (default per km², weight 1)}',
    '--risk-per UNIT      the risk index per km² ("area") or per 1,000 residents ("residents"), over what',
    '                     the rule set says',
    '--out FILE           CSV: code, name, class, previous_class, changed, source, score, the inputs and the',
    '                     reason (JSON); events that cannot be read go to FILE with .rejected.csv',
    'Exit code 1 when some events were rejected.',
  ],
  async run(values) {
    const out = values.out;
    const cellsPath = values.cells;
    const rulesPath = values.rules;
    if (typeof cellsPath !== 'string') throw new UsageError('--cells FILE is required');
    if (typeof rulesPath !== 'string') throw new UsageError('--rules FILE is required');
    if (typeof out !== 'string') throw new UsageError('--out FILE is required');
    const perOption = values['risk-per'];
    if (perOption !== undefined && perOption !== 'area' && perOption !== 'residents')
      throw new UsageError(`--risk-per must be area or residents, got "${String(perOption)}"`);
    let rules: RuleSet;
    try {
      rules = JSON.parse(await readFile(rulesPath, 'utf8')) as RuleSet;
    } catch (error) {
      throw new UsageError(`rules file ${rulesPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const problem = ruleSetProblem(rules);
    if (problem) throw new UsageError(`rules file ${rulesPath}: ${problem}`);
    // --risk-per goes over the rule set's unit (and so shows in each reason).
    if (perOption !== undefined) rules = { ...rules, risk: { ...ruleSetRisk(rules), per: perOption } };
    const risk = ruleSetRisk(rules);
    const features = await readPolygonFeatures(cellsPath, 'cells file', 'wgs84');
    const cells = features.map((f, i) => {
      const code = f.properties?.code;
      const type = (f.geometry as { type?: string } | null)?.type;
      if (typeof code !== 'string' || code === '') throw new UsageError(`cells file ${cellsPath}: feature ${i + 1} has no "code" property`);
      if (type !== 'Polygon' && type !== 'MultiPolygon')
        throw new UsageError(`cells file ${cellsPath}: cell ${code} is a ${type ?? 'missing geometry'}, not a Polygon or MultiPolygon`);
      return { code, geometry: f.geometry, props: f.properties ?? {} };
    });
    const events = await readEventPoints(values);
    // Events per cell (weighted when asked), assigned as the database assigns them.
    const counted = countByCell(cells, events.lng, events.lat, events.weight);
    const inputs: CellInputs[] = cells.map((c, i) => {
      const hit = { value: counted.value[i] as number };
      const hazards = count(c.props.hazard_sites);
      return {
        code: c.code,
        events: hit.value,
        households: count(c.props.households),
        key_persons: count(c.props.key_persons),
        hazard_sites: hazards,
        risk_index: riskIndex(
          {
            eventsByCategory: { events: hit.value },
            hazardSites: hazards,
            residents: count(c.props.residents),
            areaKm2: areaSquareMeters(c.geometry) / 1e6,
          },
          risk,
        ).index,
      };
    });
    const results = classifyCells(inputs, rules);
    const rows = results.map((r, i) => {
      const props = (cells[i] as (typeof cells)[number]).props;
      const previous = typeof props.class === 'string' ? props.class : '';
      const manual = props.class_source === 'manual' && ['A', 'B', 'C'].includes(previous);
      const cls = manual ? previous : r.class;
      return {
        code: r.code,
        name: typeof props.name === 'string' ? props.name : '',
        class: cls,
        previous_class: previous,
        changed: previous !== '' && previous !== cls ? 'yes' : 'no',
        source: manual ? 'manual' : 'rule',
        score: r.score,
        ...Object.fromEntries(
          Object.entries(inputs[i] as CellInputs)
            .filter(([k]) => k !== 'code')
            .map(([k, v]) => [k, Number((v as number).toPrecision(8))]),
        ),
        reason: manual ? 'manual class kept' : classReason(r, rules, null),
      };
    });
    await writeFile(
      out,
      toCsv(rows, [
        'code',
        'name',
        'class',
        'previous_class',
        'changed',
        'source',
        'score',
        'events',
        'households',
        'key_persons',
        'hazard_sites',
        'risk_index',
        'reason',
      ]),
    );
    const rejectedOut = events.table.rejected.length > 0 ? await writeRejectedRows(out, events.table) : null;
    const tally = (c: string) => rows.filter((r) => r.class === c).length;
    const summary = {
      cells: rows.length,
      A: tally('A'),
      B: tally('B'),
      C: tally('C'),
      changed: rows.filter((r) => r.changed === 'yes').length,
      manual: rows.filter((r) => r.source === 'manual').length,
      points: events.lng.length,
      outside: counted.outside,
      rejected: events.table.rejected.length,
      rule: rules.name,
      out,
      rejectedOut,
    };
    return {
      json: summary,
      lines: [
        `${summary.cells} cells by "${rules.name}": ${summary.A} A, ${summary.B} B, ${summary.C} C; ${summary.changed} changed, ${summary.manual} manual kept`,
        `wrote ${out}${rejectedOut ? ` and ${rejectedOut} (${summary.rejected} events that could not be read)` : ''}`,
      ],
      exitCode: summary.rejected > 0 ? 1 : 0,
    };
  },
};
