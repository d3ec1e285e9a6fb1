/** What a cell's risk index is made of. */
export interface RiskInputs {
  /** Events weighted by severity and time decay, per category. */
  eventsByCategory: Record<string, number>;
  /** Standing hazards: risky places and organisations (risk level 2 or 3). */
  hazardSites: number;
  residents: number;
  areaKm2: number;
}

export interface RiskOptions {
  /** Per 1,000 residents, or per km². */
  per: 'residents' | 'area';
  /** What one hazard site weighs against one event of severity 1. */
  hazardWeight: number;
}

export interface RiskIndex {
  index: number;
  /** The parts of the index (each already divided by the denominator), by category and hazards. */
  parts: { label: string; kind: 'events' | 'hazards'; value: number }[];
  denominator: number;
}

/**
 * A cell's risk index: weighted events plus weighted standing hazards, divided by its residents
 * (per 1,000; a cell without residents counts as 1) or its area (per km²). The parts add up to the
 * index, largest first, so the inspector can show where it comes from.
 */
export function riskIndex(inputs: RiskInputs, options: RiskOptions): RiskIndex {
  const denominator = options.per === 'residents' ? Math.max(1, inputs.residents) / 1000 : Math.max(1e-6, inputs.areaKm2);
  const parts: RiskIndex['parts'] = Object.entries(inputs.eventsByCategory)
    .filter(([, v]) => v > 0)
    .map(([label, v]) => ({ label, kind: 'events' as const, value: v / denominator }));
  if (inputs.hazardSites > 0)
    parts.push({ label: 'hazards', kind: 'hazards', value: (inputs.hazardSites * options.hazardWeight) / denominator });
  parts.sort((a, b) => b.value - a.value);
  return { index: parts.reduce((s, p) => s + p.value, 0), parts, denominator };
}
