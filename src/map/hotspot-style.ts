/** Colours of Gi* classes, cold (blue) to hot (red), as ArcGIS draws Gi_Bin; 0 is not drawn. */
export const HOTSPOT_COLORS: Record<number, string> = {
  3: '#b2182b',
  2: '#ef8a62',
  1: '#fddbc7',
  [-1]: '#d1e5f0',
  [-2]: '#67a9cf',
  [-3]: '#2166ac',
};

/** Colours of the two-period trend of hot spots. */
export const TREND_COLORS: Record<string, string> = {
  new: '#7b3294',
  intensifying: '#d7191c',
  persistent: '#fdae61',
  diminishing: '#74add1',
};

/** The fill colour of a cell in the hot spot view: its trend when compared, else its class; null for none. */
export function hotspotColor(hotspot: number, trend: string | null | undefined): string | null {
  if (trend !== undefined) return trend ? (TREND_COLORS[trend] ?? null) : null;
  return HOTSPOT_COLORS[hotspot] ?? null;
}
