import { type ClassResult, classifyCells, type RuleSet, ruleSetRisk } from '../domain/classify';
import { type RiskOptions, riskIndex } from '../domain/risk-index';
import type { Backend, CellClassInputs } from './backend';

/** A cell's risk index for the rules: weighted events and hazards, per km² or per 1,000 residents. */
const riskOf = (c: CellClassInputs, options: RiskOptions) =>
  riskIndex({ eventsByCategory: c.eventsByCategory, hazardSites: c.hazardSites, residents: c.residents, areaKm2: c.areaKm2 }, options)
    .index;

/** Classes cells by a rule set over the inputs the database gathered (pure; the database's classify_by_rules is its twin). */
export function classifyInputs(inputs: readonly CellClassInputs[], rules: RuleSet): ClassResult[] {
  const risk = ruleSetRisk(rules);
  return classifyCells(
    inputs.map((c) => ({
      code: c.code,
      events: c.eventsWeighted,
      households: c.households,
      key_persons: c.keyPersons,
      hazard_sites: c.hazardSites,
      risk_index: riskOf(c, risk),
    })),
    rules,
  );
}

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
  const inputs = await backend.getCellClassInputs(end.toISOString(), rules.eventDays ?? 90, rules.halfLifeDays ?? null);
  return { inputs, results: classifyInputs(inputs, rules) };
}
