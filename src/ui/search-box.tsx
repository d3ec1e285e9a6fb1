import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend, SearchHit } from '../data/backend';
import type { BBox, CellCode, LngLat } from '../domain/ids';
import { useErrorText } from './error-text';

/** What a search result leads to: a place on the map and, where there is one, what to inspect. */
export type SearchPick =
  | { kind: 'area'; bbox: BBox }
  | { kind: 'cell'; code: CellCode; bbox: BBox }
  | { kind: 'point'; pointKind: Exclude<SearchHit['kind'], 'cell' | 'district' | 'street' | 'community'>; id: string; lngLat: LngLat }
  | { kind: 'address'; lngLat: LngLat; cellCode: CellCode | null };

interface Result {
  key: string;
  kind: SearchHit['kind'] | 'address';
  label: string;
  detail: string;
  pick: SearchPick;
}

export interface SearchBoxProps {
  backend: Backend | null;
  onPick(pick: SearchPick): void;
}

/** Addresses found with less confidence than this are not offered (the gazetteer's 0..1 score). */
const ADDRESS_MIN_SCORE = 0.5;

function toResult(hit: SearchHit): Result {
  const pick: SearchPick =
    hit.kind === 'cell'
      ? { kind: 'cell', code: hit.id as CellCode, bbox: hit.bbox }
      : hit.kind === 'district' || hit.kind === 'street' || hit.kind === 'community'
        ? { kind: 'area', bbox: hit.bbox }
        : { kind: 'point', pointKind: hit.kind, id: hit.id, lngLat: hit.lngLat };
  return { key: `${hit.kind}-${hit.id}`, kind: hit.kind, label: hit.label, detail: hit.detail, pick };
}

/**
 * The map's search box: cells by code or name, streets and communities, addresses from the
 * gazetteer, and (as the user's role allows) people, places, things, organisations by name or id
 * and events by id. Results come as the user types; Enter or a click takes one.
 */
export function SearchBox({ backend, onPick }: SearchBoxProps) {
  const { t } = useTranslation();
  const describeError = useErrorText();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Result[] | null>(null);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  const seq = useRef(0);

  useEffect(() => {
    const text = query.trim();
    if (!backend || text === '') {
      setResults(null);
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      Promise.all([backend.search(text, 20), backend.geocodeAddress(text, 3).catch(() => [])])
        .then(([hits, addresses]) => {
          if (mine !== seq.current) return;
          const places = addresses
            .filter((a) => a.score >= ADDRESS_MIN_SCORE)
            .map(
              (a): Result => ({
                key: `address-${a.id}`,
                kind: 'address',
                label: a.address,
                detail: a.name,
                pick: { kind: 'address', lngLat: a.lngLat, cellCode: a.cellCode },
              }),
            );
          const found = hits.map(toResult);
          // An exact code or id first, then addresses, then the rest.
          const exact = found.filter((r) => r.detail === text || r.label === text);
          setResults([...exact, ...places, ...found.filter((r) => !exact.includes(r))]);
          setActive(0);
          setError(null);
        })
        .catch((e: unknown) => {
          if (mine === seq.current) setError(describeError(e));
        });
    }, 200);
    return () => clearTimeout(timer);
  }, [query, backend, describeError]);

  const take = (r: Result) => {
    onPick(r.pick);
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!results || results.length === 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(results.length - 1, a + 1));
      setOpen(true);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      const r = results[active];
      if (r) take(r);
    } else if (e.key === 'Escape') setOpen(false);
  };

  return (
    <search className="search">
      <input
        type="search"
        value={query}
        placeholder={backend ? t('search.placeholder') : t('search.waiting')}
        aria-label={t('search.label')}
        aria-controls={listId}
        disabled={!backend}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKey}
        data-testid="search-input"
      />
      {open && (results !== null || error) && (
        <ul className="search-results" id={listId} data-testid="search-results">
          {error && <li className="error">{error}</li>}
          {results?.length === 0 && <li className="muted">{t('search.none')}</li>}
          {results?.map((r, i) => (
            <li key={r.key}>
              <button
                type="button"
                className={i === active ? 'active' : undefined}
                aria-current={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => take(r)}
                data-testid="search-result"
              >
                <span className="search-kind">{t(`search.kinds.${r.kind}`)}</span>
                <span className="search-label">{r.label}</span>
                <span className="search-detail">{r.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </search>
  );
}
