import { type ClassResult, classifyCells, classReason, type RuleSet } from '../domain/classify';
import type { CellCode } from '../domain/ids';
import { riskIndex } from '../domain/risk-index';
import type { ApplyClassesResult, Backend, CellClassInputs, RuleSetVersion } from './backend';

/** A cell's risk index for the rules: weighted events and hazards per km². */
const riskOf = (c: CellClassInputs) =>
  riskIndex(
    { eventsByCategory: c.eventsByCategory, hazardSites: c.hazardSites, residents: c.residents, areaKm2: c.areaKm2 },
    { per: 'area', hazardWeight: 1 },
  ).index;

/**
 * Returns every current cell's rule inputs and its class under a rule set, evaluated here (the
 * same code as the CLI) over the inputs the database gathers for the rule set's event window.
 * @example (await runRuleSet(backend, rules)).results.filter((r) => r.class === 'A').length
 */
export async function runRuleSet(
  backend: Backend,
  rules: RuleSet,
  end: Date = new Date(),
): Promise<{ inputs: CellClassInputs[]; results: ClassResult[] }> {
  const inputs = await backend.getCellClassInputs(end.toISOString(), rules.eventDays ?? 90, null);
  const results = classifyCells(
    inputs.map((c) => ({
      code: c.code,
      events: c.eventsWeighted,
      households: c.households,
      key_persons: c.keyPersons,
      hazard_sites: c.hazardSites,
      risk_index: riskOf(c),
    })),
    rules,
  );
  return { inputs, results };
}

/**
 * Classes the given cells (after a grid edit) by the latest saved rule set, judged among all
 * cells as a full run would, and writes them as a run of that rule set (manual classes are kept
 * by the database). Returns the rule set and what changed, or null when no rule set was saved.
 */
export async function reclassifyCells(
  backend: Backend,
  codes: readonly CellCode[],
): Promise<{ ruleSet: RuleSetVersion; result: ApplyClassesResult } | null> {
  const latest = (await backend.listRuleSets())[0];
  if (!latest || codes.length === 0) return null;
  const wanted = new Set<string>(codes);
  const { results } = await runRuleSet(backend, latest.rules);
  const result = await backend.applyCellClasses(
    latest.id,
    results
      .filter((r) => wanted.has(r.code))
      .map((r) => ({ code: r.code as CellCode, class: r.class, reason: classReason(r, latest.rules, latest.version) })),
  );
  return { ruleSet: latest, result };
}
