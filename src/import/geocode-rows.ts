import type { LngLat } from '../domain/ids';
import type { GeocodeCandidate } from '../domain/records';
import type { AddressCandidate } from './external-geocoder';

/** A candidate with this score or above is taken without review. */
export const GEOCODE_ACCEPT_SCORE = 0.8;
/** Below this score a candidate is not worth showing for review. */
export const GEOCODE_REVIEW_SCORE = 0.3;

/** Answers an address with candidates, best first. */
export type Geocoder = (address: string, limit: number) => Promise<AddressCandidate[]>;

/** The local gazetteer (the Backend's geocodeAddress) as a Geocoder. */
export const gazetteerGeocoder =
  (geocodeAddress: (query: string, limit?: number) => Promise<GeocodeCandidate[]>): Geocoder =>
  async (address, limit) =>
    (await geocodeAddress(address, limit)).map((c) => ({
      id: c.id,
      label: c.name || c.address,
      score: c.score,
      lngLat: c.lngLat,
      source: 'gazetteer' as const,
    }));

export interface GeocodeOutcome<R> {
  /** Rows with a confident match, and where. */
  located: { row: R; lngLat: LngLat }[];
  /**
   * Rows for the user to settle (pick a candidate, drop a pin, or drop the row): candidates
   * worth showing, possibly none, and the best one found whatever its score (for the reason
   * given when the row is dropped).
   */
  review: { row: R; candidates: AddressCandidate[]; best: AddressCandidate | null }[];
  /** Addresses a geocoder failed on (network, HTTP), with its message; such rows go to review. */
  failures: { row: R; message: string }[];
}

/**
 * Geocodes rows by address with each geocoder in turn (the local gazetteer first, then an
 * optional online one) until one gives a candidate scored at GEOCODE_ACCEPT_SCORE or above.
 * A candidate without a score (an online geocoder that gives none) is never taken unreviewed.
 * Nothing is dropped: a row either is located or goes to review.
 */
export async function geocodeRows<R extends { address: string }>(
  rows: readonly R[],
  geocoders: readonly Geocoder[],
  onProgress?: (done: number, total: number) => void,
  limit = 3,
): Promise<GeocodeOutcome<R>> {
  const out: GeocodeOutcome<R> = { located: [], review: [], failures: [] };
  for (let i = 0; i < rows.length; i++) {
    onProgress?.(i, rows.length);
    const row = rows[i] as R;
    const shown: AddressCandidate[] = [];
    let best: AddressCandidate | null = null;
    let accepted: AddressCandidate | null = null;
    for (const geocode of geocoders) {
      let candidates: AddressCandidate[];
      try {
        candidates = await geocode(row.address, limit);
      } catch (err) {
        out.failures.push({ row, message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const top = candidates[0];
      if (top && top.score !== null && top.score >= GEOCODE_ACCEPT_SCORE) {
        accepted = top;
        break;
      }
      for (const c of candidates) {
        if ((best?.score ?? -1) < (c.score ?? -1) || best === null) best = c;
        if (c.score === null || c.score >= GEOCODE_REVIEW_SCORE) shown.push(c);
      }
    }
    if (accepted) out.located.push({ row, lngLat: accepted.lngLat });
    else out.review.push({ row, candidates: shown, best });
  }
  onProgress?.(rows.length, rows.length);
  return out;
}
