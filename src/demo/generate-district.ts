import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { makeCellCode } from '../domain/cell-code';
import { numberingOrder } from '../domain/cell-numbering';
import { idCardCheckDigit } from '../domain/id-card';
import type { CellClass, CommunityCode, LngLat } from '../domain/ids';
import { type LabelGrid, type LatticeRect, type LatticeRing, type SplitLine, splitRect, traceRegions } from './lattice';
import {
  EVENT_CATEGORIES,
  EVENT_SOURCE_WEIGHTS,
  EVENT_SOURCES,
  GIVEN_CHARS,
  HOUR_PROFILES,
  ORGANISATION_CATEGORIES,
  ORGANISATION_SUFFIXES,
  PLACE_CATEGORIES,
  PLACE_WORDS,
  SURNAME_WEIGHTS,
  SURNAMES,
  THING_CATEGORIES,
} from './names';
import { createRandom, type Random } from './random';

/** Options of the demo district generator. */
export interface DemoOptions {
  /** Seed of every random choice; the same seed gives byte-identical output. */
  seed: number;
  /** Multiplies the counts of people, places, things, organisations and events. */
  scale: number;
  /** Last day of the 180-day event window (local date, China Standard Time). */
  endDate: string;
  /** About how many cells to tile the district into (benchmarks use 5,000). */
  targetCells: number;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = { seed: 1, scale: 1, endDate: '2026-10-31', targetCells: 580 };

export interface AreaProperties {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community';
  parent_code: string | null;
}

export interface CellProperties {
  code: string;
  name: string;
  community_code: string;
  class: CellClass;
  class_reason: string;
  households: number;
}

export interface PersonRow {
  id: string;
  name: string;
  gender: '男' | '女';
  birth_year: number;
  id_card_number: string;
  phone: string;
  address: string;
  household_id: string;
  key_person: boolean;
  floating: boolean;
  lon: number;
  lat: number;
}

export interface SiteRow {
  id: string;
  name: string;
  category: string;
  risk_level: number;
  address: string;
  lon: number;
  lat: number;
}

export interface EventRow {
  id: string;
  lon: number;
  lat: number;
  occurred_at: string;
  category: string;
  severity: number;
  source: string;
  status: string;
  description: string;
}

export interface GazetteerRow {
  id: string;
  kind: 'door' | 'building' | 'poi';
  road: string;
  house_number: string;
  building: string;
  name: string;
  address: string;
  community_code: string;
  lon: number;
  lat: number;
}

/** Everything the demo generator produces, ready to be written as files or loaded. */
export interface DemoDistrict {
  district: FeatureCollection<MultiPolygon, AreaProperties>;
  streets: FeatureCollection<MultiPolygon, AreaProperties>;
  communities: FeatureCollection<MultiPolygon, AreaProperties>;
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  roads: FeatureCollection<LineString, { name: string; rank: 'arterial' | 'secondary' | 'minor' }>;
  water: FeatureCollection<Polygon, { name: string; kind: 'river' | 'lake' }>;
  buildings: FeatureCollection<Polygon, { levels: number }>;
  labels: FeatureCollection<import('geojson').Point, { name: string; rank: 'district' | 'street' | 'community' | 'poi' }>;
  gazetteer: GazetteerRow[];
  people: PersonRow[];
  places: SiteRow[];
  things: SiteRow[];
  organisations: SiteRow[];
  events: EventRow[];
}

// Lattice: 250 × 200 squares of about 40 m, i.e. about 10 km × 8 km.
const WIDTH = 250;
const HEIGHT = 200;
const STEP_METERS = 40;
const ORIGIN: LngLat = [112.86, 28.15];
const METERS_PER_DEGREE_LAT = 110_574;
const METERS_PER_DEGREE_LNG = 111_320 * Math.cos((ORIGIN[1] * Math.PI) / 180);
const DISTRICT_CODE = '430199';
const DISTRICT_NAME = '湘麓区';
const DAYS = 180;

/** Returns a deterministic demo district for the given options. */
/** Lattice position to WGS-84 (through the seed's gentle warp, so that no line is quite straight). */
type ToLngLat = (u: number, v: number) => LngLat;

/**
 * The district laid out on the lattice (stages 1–3): streets, communities and cells as lattice
 * rectangles and label grids, with their names, codes and shapes. The later stages place what
 * lives there; they share its random stream and its supply of names, in this order.
 */
interface Layout {
  random: Random;
  toLngLat: ToLngLat;
  nextName: () => string;
  lines: SplitLine[];
  uCuts: number[];
  centre: { u: number; v: number };
  density: (u: number, v: number) => number;
  streetRects: LatticeRect[];
  communityRects: Array<{ rect: LatticeRect; street: number }>;
  cellRects: Array<{ rect: LatticeRect; community: number }>;
  /** Cells bitten out of the district's edge. */
  removed: Set<number>;
  cellGrid: LabelGrid;
  inside: (u: number, v: number) => boolean;
  toMulti: (polygons: LatticeRing[][]) => MultiPolygon;
  districtFeature: Feature<MultiPolygon, AreaProperties>;
  streets: Feature<MultiPolygon, AreaProperties>[];
  streetNames: string[];
  communities: Feature<MultiPolygon, AreaProperties>[];
  communityCodes: string[];
  communityNames: string[];
  cellTraces: Map<number, LatticeRing[][]>;
  cellCode: Map<number, string>;
  cellName: Map<number, string>;
}

/** The nearest road's name and a house number on it, for a lattice position in a rectangle. */
type NearestRoad = (u: number, v: number, rect: LatticeRect) => { name: string; number: number };

interface Building {
  u: number;
  v: number;
  w: number;
  h: number;
  cell: number;
  address: string;
  capacity: number;
}

/** Returns a deterministic demo district for the given options. */
export function generateDistrict(options: Partial<DemoOptions> = {}): DemoDistrict {
  const opts = { ...DEFAULT_DEMO_OPTIONS, ...options };
  if (!Number.isInteger(opts.seed)) throw new Error(`seed must be an integer, got ${opts.seed}`);
  if (!(opts.scale > 0 && opts.scale <= 40)) throw new Error(`scale must be in (0, 40], got ${opts.scale}`);
  if (!(Number.isInteger(opts.targetCells) && opts.targetCells >= 160 && opts.targetCells <= 8000)) {
    throw new Error(`targetCells must be an integer from 160 to 8000, got ${opts.targetCells}`);
  }
  const random = createRandom(opts.seed);
  const warp = makeWarp(random);
  const toLngLat = (u: number, v: number): LngLat => {
    const [x, y] = warp(u, v);
    return [round7(ORIGIN[0] + x / METERS_PER_DEGREE_LNG), round7(ORIGIN[1] + y / METERS_PER_DEGREE_LAT)];
  };

  const layout = layOut(opts, random, toLngLat);
  const { roads, nearestRoad } = layRoads(layout);
  const { water, inWater } = layWater(layout);
  const where = locator(layout, nearestRoad);
  const { buildings, gazetteer, buildingList } = placeBuildings(layout, nearestRoad, inWater, where.streetNameOfCell);
  const { people, householdsPerCell, pickBuilding } = placePeople(layout, buildingList, opts.scale);
  const { places, things, organisations, hubs, hubCount } = placeSites(
    layout,
    where,
    inWater,
    buildingList,
    pickBuilding,
    gazetteer,
    opts.scale,
  );
  const { events, eventsPerCell } = makeEvents(layout, where, buildingList, pickBuilding, hubs, opts);
  const cellFeatures = classCells(layout, eventsPerCell, householdsPerCell);
  const { streetRects, communityRects, streetNames, communityNames, districtFeature, streets, communities } = layout;

  const labels: DemoDistrict['labels']['features'] = [
    ...streetRects.map((r, i) => pointLabel(toLngLat((r.u0 + r.u1) / 2, (r.v0 + r.v1) / 2), streetNames[i] as string, 'street' as const)),
    ...communityRects.map(({ rect: r }, i) =>
      pointLabel(toLngLat((r.u0 + r.u1) / 2, (r.v0 + r.v1) / 2), communityNames[i] as string, 'community' as const),
    ),
    ...places.slice(0, hubCount).map((p) => pointLabel([p.lon, p.lat], p.name, 'poi' as const)),
  ];

  return {
    district: { type: 'FeatureCollection', features: [districtFeature] },
    streets: { type: 'FeatureCollection', features: streets },
    communities: { type: 'FeatureCollection', features: communities },
    cells: { type: 'FeatureCollection', features: cellFeatures },
    roads: { type: 'FeatureCollection', features: roads },
    water,
    buildings: { type: 'FeatureCollection', features: buildings },
    labels: { type: 'FeatureCollection', features: labels },
    gazetteer,
    people,
    places,
    things,
    organisations,
    events,
  };
}

/** Stages 1–3: the partition into streets, communities and cells, the bites out of its edge, names and codes. */
function layOut(opts: DemoOptions, random: Random, toLngLat: ToLngLat): Layout {
  // 1. Partition: streets (4 × 2), communities (5 per street), cells (≈580, smaller downtown).
  const lines: SplitLine[] = [];
  const uCuts = [0, ...jitteredCuts(4, WIDTH, 0.12, random), WIDTH];
  const vCuts = [0, ...jitteredCuts(2, HEIGHT, 0.1, random), HEIGHT];
  for (const u of uCuts.slice(1, -1)) lines.push({ axis: 'u', at: u, from: 0, to: HEIGHT, depth: 0 });
  for (const v of vCuts.slice(1, -1)) lines.push({ axis: 'v', at: v, from: 0, to: WIDTH, depth: 0 });
  const streetRects: LatticeRect[] = [];
  for (let j = vCuts.length - 2; j >= 0; j--) {
    for (let i = 0; i + 1 < uCuts.length; i++) {
      streetRects.push({ u0: uCuts[i] as number, u1: uCuts[i + 1] as number, v0: vCuts[j] as number, v1: vCuts[j + 1] as number });
    }
  }
  const centre = { u: WIDTH * (0.45 + random.next() * 0.1), v: HEIGHT * (0.45 + random.next() * 0.1) };
  const density = (u: number, v: number) => 0.35 + Math.exp(-(((u - centre.u) / 70) ** 2 + ((v - centre.v) / 60) ** 2));

  const communityRects: Array<{ rect: LatticeRect; street: number }> = [];
  streetRects.forEach((rect, street) => {
    for (const c of splitRect(rect, 5, 0.12, random.next, lines, 1)) communityRects.push({ rect: c, street });
  });
  const weightOf = (r: LatticeRect) => (r.u1 - r.u0) * (r.v1 - r.v0) * density((r.u0 + r.u1) / 2, (r.v0 + r.v1) / 2);
  const totalWeight = communityRects.reduce((s, c) => s + weightOf(c.rect), 0);
  const cellRects: Array<{ rect: LatticeRect; community: number }> = [];
  communityRects.forEach(({ rect }, community) => {
    const count = Math.max(4, Math.round((opts.targetCells * weightOf(rect)) / totalWeight));
    for (const c of splitRect(rect, count, 0.15, random.next, lines, 2)) cellRects.push({ rect: c, community });
  });

  // 2. Bites out of the district edge so that its boundary is not a rectangle.
  const bites = makeBites(random);
  const keptPerCommunity = new Map<number, number>();
  for (const c of cellRects) keptPerCommunity.set(c.community, (keptPerCommunity.get(c.community) ?? 0) + 1);
  const removed = new Set<number>();
  cellRects.forEach((c, i) => {
    const cu = (c.rect.u0 + c.rect.u1) / 2;
    const cv = (c.rect.v0 + c.rect.v1) / 2;
    const onEdge = c.rect.u0 === 0 || c.rect.v0 === 0 || c.rect.u1 === WIDTH || c.rect.v1 === HEIGHT;
    const left = keptPerCommunity.get(c.community) ?? 0;
    if (onEdge && left > 4 && bites.some((b) => cu >= b.u0 && cu < b.u1 && cv >= b.v0 && cv < b.v1)) {
      removed.add(i);
      keptPerCommunity.set(c.community, left - 1);
    }
  });

  const cellGrid: LabelGrid = { width: WIDTH, height: HEIGHT, labels: new Int32Array(WIDTH * HEIGHT).fill(-1) };
  cellRects.forEach((c, i) => {
    if (removed.has(i)) return;
    for (let v = c.rect.v0; v < c.rect.v1; v++) cellGrid.labels.fill(i, v * WIDTH + c.rect.u0, v * WIDTH + c.rect.u1);
  });
  const relabel = (map: (cell: number) => number): LabelGrid => ({
    width: WIDTH,
    height: HEIGHT,
    labels: cellGrid.labels.map((l) => (l < 0 ? -1 : map(l))),
  });
  const communityGrid = relabel((l) => (cellRects[l] as { community: number }).community);
  const streetGrid = relabel((l) => (communityRects[(cellRects[l] as { community: number }).community] as { street: number }).street);
  const districtGrid = relabel(() => 0);
  const inside = (u: number, v: number) =>
    u >= 0 && v >= 0 && u < WIDTH && v < HEIGHT && (cellGrid.labels[Math.floor(v) * WIDTH + Math.floor(u)] as number) >= 0;

  // 3. Names and codes.
  const names = uniqueNames(random, 8 + 40 + lines.length + 64);
  let nameIndex = 0;
  const nextName = () => names[nameIndex++] as string;
  const toMulti = (polygons: LatticeRing[][]): MultiPolygon => ({
    type: 'MultiPolygon',
    coordinates: polygons.map((rings) => rings.map((ring) => ring.map(([u, v]) => toLngLat(u, v)))),
  });
  const districtFeature: Feature<MultiPolygon, AreaProperties> = {
    type: 'Feature',
    properties: { code: DISTRICT_CODE, name: DISTRICT_NAME, level: 'district', parent_code: null },
    geometry: toMulti(traceRegions(districtGrid).get(0) ?? []),
  };
  const streetTraces = traceRegions(streetGrid);
  const streetCodes = streetRects.map((_, i) => `${DISTRICT_CODE}${String(i + 1).padStart(3, '0')}`);
  const streetNames = streetRects.map(() => `${nextName()}街道`);
  const streets = streetRects.map((_, i) => ({
    type: 'Feature' as const,
    properties: { code: streetCodes[i] as string, name: streetNames[i] as string, level: 'street' as const, parent_code: DISTRICT_CODE },
    geometry: toMulti(streetTraces.get(i) ?? []),
  }));
  const communityTraces = traceRegions(communityGrid);
  const perStreet = new Map<number, number>();
  const communityCodes: string[] = [];
  const communityNames: string[] = [];
  for (const { street } of communityRects) {
    const n = (perStreet.get(street) ?? 0) + 1;
    perStreet.set(street, n);
    communityCodes.push(`${streetCodes[street]}${String(n).padStart(3, '0')}`);
    communityNames.push(`${nextName()}社区`);
  }
  const communities = communityRects.map(({ street }, i) => ({
    type: 'Feature' as const,
    properties: {
      code: communityCodes[i] as string,
      name: communityNames[i] as string,
      level: 'community' as const,
      parent_code: streetCodes[street] as string,
    },
    geometry: toMulti(communityTraces.get(i) ?? []),
  }));

  // Cells: numbered west to east, north to south inside each community.
  const cellTraces = traceRegions(cellGrid);
  const cellCode = new Map<number, string>();
  const cellName = new Map<number, string>();
  communityRects.forEach((_, community) => {
    const members = cellRects.map((c, i) => ({ c, i })).filter(({ c, i }) => c.community === community && !removed.has(i));
    const centroids = members.map(({ c }) => toLngLat((c.rect.u0 + c.rect.u1) / 2, (c.rect.v0 + c.rect.v1) / 2));
    numberingOrder(centroids, (1.5 * STEP_METERS) / METERS_PER_DEGREE_LAT).forEach((memberIndex, seq) => {
      const { i } = members[memberIndex] as { i: number };
      cellCode.set(i, makeCellCode(communityCodes[community] as CommunityCode, seq + 1));
      cellName.set(i, `${communityNames[community]}第${seq + 1}网格`);
    });
  });
  return {
    random,
    toLngLat,
    nextName,
    lines,
    uCuts,
    centre,
    density,
    streetRects,
    communityRects,
    cellRects,
    removed,
    cellGrid,
    inside,
    toMulti,
    districtFeature,
    streets,
    streetNames,
    communities,
    communityCodes,
    communityNames,
    cellTraces,
    cellCode,
    cellName,
  };
}

/** Stage 4: roads along every split line where the district is on at least one side, and house numbers on them. */
function layRoads(layout: Layout): { roads: DemoDistrict['roads']['features']; nearestRoad: NearestRoad } {
  const { lines, random, nextName, inside, toLngLat } = layout;
  const roads: DemoDistrict['roads']['features'] = [];
  const roadAt = new Map<string, Array<{ from: number; to: number; name: string }>>();
  const arterialNames = new Map<string, string>();
  for (const line of lines) {
    const rank = line.depth === 0 ? 'arterial' : line.depth === 1 ? 'secondary' : 'minor';
    let name: string;
    if (rank === 'arterial') {
      const key = `${line.axis}${line.at}`;
      name = arterialNames.get(key) ?? `${nextName()}大道`;
      arterialNames.set(key, name);
    } else {
      name = `${nextName()}${rank === 'secondary' ? '路' : random.next() < 0.5 ? '街' : '巷'}`;
    }
    const list = roadAt.get(`${line.axis}${line.at}`) ?? [];
    list.push({ from: line.from, to: line.to, name });
    roadAt.set(`${line.axis}${line.at}`, list);
    let run: LngLat[] = [];
    const flush = () => {
      if (run.length > 1) roads.push({ type: 'Feature', properties: { name, rank }, geometry: { type: 'LineString', coordinates: run } });
      run = [];
    };
    for (let t = line.from; t < line.to; t++) {
      const open =
        line.axis === 'u'
          ? inside(line.at - 0.5, t + 0.5) || inside(line.at + 0.5, t + 0.5)
          : inside(t + 0.5, line.at - 0.5) || inside(t + 0.5, line.at + 0.5);
      if (!open) {
        flush();
        continue;
      }
      if (run.length === 0) run.push(line.axis === 'u' ? toLngLat(line.at, t) : toLngLat(t, line.at));
      run.push(line.axis === 'u' ? toLngLat(line.at, t + 1) : toLngLat(t + 1, line.at));
    }
    flush();
  }
  const nearestRoad = (u: number, v: number, rect: LatticeRect) => {
    const candidates = [
      { key: `u${rect.u0}`, along: v, dist: u - rect.u0, side: 0 },
      { key: `u${rect.u1}`, along: v, dist: rect.u1 - u, side: 1 },
      { key: `v${rect.v0}`, along: u, dist: v - rect.v0, side: 0 },
      { key: `v${rect.v1}`, along: u, dist: rect.v1 - v, side: 1 },
    ].sort((a, b) => a.dist - b.dist);
    for (const c of candidates) {
      const seg = roadAt.get(c.key)?.find((s) => c.along >= s.from && c.along <= s.to);
      if (seg) return { name: seg.name, number: 2 * Math.floor(((c.along - seg.from) * STEP_METERS) / 30) + 1 + c.side };
    }
    return { name: `${DISTRICT_NAME}边界路`, number: 1 };
  };
  return { roads, nearestRoad };
}

/** Stage 5: a meandering river across the west of the district and a lake in a park. */
function layWater(layout: Layout): { water: DemoDistrict['water']; inWater: (u: number, v: number) => boolean } {
  const { uCuts, centre, toLngLat, nextName } = layout;
  const riverU = uCuts[1] !== undefined ? (uCuts[1] as number) * 0.55 : WIDTH * 0.15;
  const riverAxis = (v: number) => riverU + 7 * Math.sin(v / 23 + 1) + 3 * Math.sin(v / 7);
  const riverHalfWidth = 3;
  const riverRing: LngLat[] = [];
  for (let v = -2; v <= HEIGHT + 2; v += 1) riverRing.push(toLngLat(riverAxis(v) + riverHalfWidth, v));
  for (let v = HEIGHT + 2; v >= -2; v -= 1) riverRing.push(toLngLat(riverAxis(v) - riverHalfWidth, v));
  riverRing.push(riverRing[0] as LngLat);
  const lake = { u: centre.u + 30, v: centre.v - 25, r: 6 };
  const lakeRing: LngLat[] = [];
  for (let k = 0; k <= 48; k++) {
    const a = (-k / 48) * 2 * Math.PI;
    const r = lake.r * (1 + 0.15 * Math.sin(3 * a));
    lakeRing.push(toLngLat(lake.u + r * Math.cos(-a), lake.v + r * 0.8 * Math.sin(-a)));
  }
  lakeRing[lakeRing.length - 1] = lakeRing[0] as LngLat;
  const water: DemoDistrict['water'] = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { name: '湘江', kind: 'river' }, geometry: { type: 'Polygon', coordinates: [riverRing] } },
      { type: 'Feature', properties: { name: `${nextName()}湖`, kind: 'lake' }, geometry: { type: 'Polygon', coordinates: [lakeRing] } },
    ],
  };
  const inWater = (u: number, v: number) =>
    Math.abs(u - riverAxis(v)) < riverHalfWidth + 0.6 || ((u - lake.u) / (lake.r + 1)) ** 2 + ((v - lake.v) / (lake.r * 0.8 + 1)) ** 2 < 1;
  return { water, inWater };
}

/** Where a lattice position is: its cell, community and nearest door address. */
function locator(layout: Layout, nearestRoad: NearestRoad) {
  const { inside, cellGrid, cellRects, communityRects, streetNames, communityCodes } = layout;
  const streetNameOfCell = (cell: number) =>
    streetNames[(communityRects[(cellRects[cell] as { community: number }).community] as { street: number }).street] as string;
  function cellOf(u: number, v: number): number {
    return inside(u, v) ? (cellGrid.labels[Math.floor(v) * WIDTH + Math.floor(u)] as number) : -1;
  }
  function nearestAddress(u: number, v: number): string {
    const cell = cellOf(u, v);
    if (cell < 0) return DISTRICT_NAME;
    const road = nearestRoad(u, v, (cellRects[cell] as { rect: LatticeRect }).rect);
    return `${DISTRICT_NAME}${streetNameOfCell(cell)}${road.name}${road.number}号`;
  }
  function communityOf(u: number, v: number): string {
    const cell = cellOf(u, v);
    return cell < 0 ? '' : (communityCodes[(cellRects[cell] as { community: number }).community] as string);
  }
  return { cellOf, nearestAddress, communityOf, streetNameOfCell };
}

/** Stage 6: buildings with door addresses (the gazetteer) inside every cell, away from its roads. */
function placeBuildings(
  layout: Layout,
  nearestRoad: NearestRoad,
  inWater: (u: number, v: number) => boolean,
  streetNameOfCell: (cell: number) => string,
): { buildings: DemoDistrict['buildings']['features']; gazetteer: GazetteerRow[]; buildingList: Building[] } {
  const { cellRects, removed, density, random, toLngLat, communityCodes } = layout;
  const buildings: DemoDistrict['buildings']['features'] = [];
  const gazetteer: GazetteerRow[] = [];
  const buildingList: Building[] = [];
  cellRects.forEach((c, cell) => {
    if (removed.has(cell)) return;
    const { rect } = c;
    const area = (rect.u1 - rect.u0) * (rect.v1 - rect.v0);
    const d = density((rect.u0 + rect.u1) / 2, (rect.v0 + rect.v1) / 2);
    const count = Math.max(2, Math.round(area * d * 0.12));
    for (let k = 0, tries = 0; k < count && tries < count * 6; tries++) {
      const w = 0.5 + random.next() * 1.2;
      const h = 0.5 + random.next() * 1.2;
      const u = rect.u0 + 0.6 + random.next() * Math.max(0, rect.u1 - rect.u0 - 1.2 - w);
      const v = rect.v0 + 0.6 + random.next() * Math.max(0, rect.v1 - rect.v0 - 1.2 - h);
      if (u + w > rect.u1 - 0.3 || v + h > rect.v1 - 0.3 || inWater(u + w / 2, v + h / 2)) continue;
      if (buildingList.some((b) => b.cell === cell && u < b.u + b.w + 0.2 && b.u < u + w + 0.2 && v < b.v + b.h + 0.2 && b.v < v + h + 0.2))
        continue;
      k++;
      const road = nearestRoad(u + w / 2, v + h / 2, rect);
      const levels = Math.max(1, Math.round(d * (3 + random.next() * 18)));
      const address = `${DISTRICT_NAME}${streetNameOfCell(cell)}${road.name}${road.number}号`;
      const b: Building = { u, v, w, h, cell, address, capacity: w * h * levels };
      buildingList.push(b);
      const ring = [toLngLat(u, v), toLngLat(u + w, v), toLngLat(u + w, v + h), toLngLat(u, v + h), toLngLat(u, v)];
      buildings.push({ type: 'Feature', properties: { levels }, geometry: { type: 'Polygon', coordinates: [ring] } });
      const [lon, lat] = toLngLat(u + w / 2, v + h / 2);
      gazetteer.push({
        id: `G${String(gazetteer.length + 1).padStart(6, '0')}`,
        kind: 'door',
        road: road.name,
        house_number: `${road.number}号`,
        building: '',
        name: '',
        address,
        community_code: communityCodes[c.community] as string,
        lon,
        lat,
      });
    }
  });
  return { buildings, gazetteer, buildingList };
}

/** Stage 7: people in households in buildings (weighted by floor area), with ID cards and phones. */
function placePeople(layout: Layout, buildingList: Building[], scale: number) {
  const { random, toLngLat } = layout;
  const pickBuilding = cumulativePicker(
    buildingList.map((b) => b.capacity),
    random,
  );
  const people: PersonRow[] = [];
  const householdsPerCell = new Map<number, number>();
  const peopleCount = Math.round(30_000 * scale);
  let household = 0;
  while (people.length < peopleCount) {
    const b = buildingList[pickBuilding()] as Building;
    household++;
    householdsPerCell.set(b.cell, (householdsPerCell.get(b.cell) ?? 0) + 1);
    const size = random.weighted([1, 2, 3, 4, 5], [18, 30, 28, 17, 7]);
    const unit = random.int(1, 4);
    const room = `${random.int(1, Math.max(2, Math.round(b.capacity / 2)))}${String(random.int(1, 4)).padStart(2, '0')}`;
    const surname = random.weighted(SURNAMES, SURNAME_WEIGHTS);
    const floating = random.next() < 0.16;
    const [hu, hv] = [b.u + random.next() * b.w, b.v + random.next() * b.h];
    for (let m = 0; m < size && people.length < peopleCount; m++) {
      const gender = random.next() < 0.51 ? '男' : '女';
      const birthYear = m < 2 ? random.int(1950, 2000) : random.int(2000, 2024);
      const id = `P${String(people.length + 1).padStart(7, '0')}`;
      const [lon, lat] = toLngLat(hu + random.normal() * 0.03, hv + random.normal() * 0.03);
      people.push({
        id,
        name: `${m === 0 || random.next() < 0.8 ? surname : random.weighted(SURNAMES, SURNAME_WEIGHTS)}${givenName(random)}`,
        gender,
        birth_year: birthYear,
        id_card_number: idCardNumber(
          floating ? `4301${random.pick(['02', '03', '04', '05', '11', '21'])}` : DISTRICT_CODE,
          birthYear,
          random,
          gender,
        ),
        phone: `1${random.pick(['3', '5', '7', '8', '9'])}${String(random.int(0, 999_999_999)).padStart(9, '0')}`,
        address: `${b.address}${unit}单元${room}室`,
        household_id: `H${String(household).padStart(7, '0')}`,
        key_person: random.next() < 0.02,
        floating,
        lon,
        lat,
      });
    }
  }
  return { people, householdsPerCell, pickBuilding };
}

/** Stage 8: places, things, organisations; markets and transit stations (the first hubCount places) are the event hot spots. */
function placeSites(
  layout: Layout,
  where: ReturnType<typeof locator>,
  inWater: (u: number, v: number) => boolean,
  buildingList: Building[],
  pickBuilding: () => number,
  gazetteer: GazetteerRow[],
  scale: number,
) {
  const { random, toLngLat, nextName, centre, uCuts, inside } = layout;
  const { nearestAddress, communityOf } = where;
  const site = (prefix: string, n: number, row: Omit<SiteRow, 'id'>): SiteRow => ({ id: `${prefix}${String(n).padStart(6, '0')}`, ...row });
  const places: SiteRow[] = [];
  const hubs: Array<{ u: number; v: number; weight: number }> = [];
  const hubCount = 6 + 10;
  for (let k = 0; k < hubCount; k++) {
    const isMarket = k < 6;
    let u = 0;
    let v = 0;
    do {
      // Transit stations sit on arterial crossings; markets near the busy centre.
      if (isMarket) {
        u = centre.u + random.normal() * 45;
        v = centre.v + random.normal() * 40;
      } else {
        u = random.pick(uCuts.slice(1, -1)) + random.normal() * 2;
        v = random.int(10, HEIGHT - 10);
      }
    } while (!inside(u, v) || inWater(u, v));
    hubs.push({ u, v, weight: isMarket ? 1.5 : 1 });
    const [lon, lat] = toLngLat(u, v);
    const name = isMarket ? `${nextName()}农贸市场` : `${nextName()}地铁站`;
    places.push(
      site('L', places.length + 1, {
        name,
        category: isMarket ? '农贸市场' : '交通枢纽',
        risk_level: isMarket ? 2 : 1,
        address: nearestAddress(u, v),
        lon,
        lat,
      }),
    );
    gazetteer.push({
      id: `G${String(gazetteer.length + 1).padStart(6, '0')}`,
      kind: 'poi',
      road: '',
      house_number: '',
      building: '',
      name,
      address: `${DISTRICT_NAME}${name}`,
      community_code: communityOf(u, v),
      lon,
      lat,
    });
  }
  const scatterSite = (
    prefix: string,
    total: number,
    categories: readonly { category: string; weight: number; risk: readonly number[] }[],
    namer: (category: string) => string,
    into: SiteRow[],
  ) => {
    const weights = categories.map((c) => c.weight);
    while (into.length < total) {
      const b = buildingList[pickBuilding()] as Building;
      const cat = random.weighted(categories, weights);
      const u = b.u + random.next() * b.w;
      const v = b.v + random.next() * b.h;
      const [lon, lat] = toLngLat(u, v);
      into.push(
        site(prefix, into.length + 1, {
          name: namer(cat.category),
          category: cat.category,
          risk_level: random.pick(cat.risk),
          address: b.address,
          lon,
          lat,
        }),
      );
    }
  };
  scatterSite(
    'L',
    Math.round(5_000 * scale),
    PLACE_CATEGORIES,
    (c) => `${random.pick(PLACE_WORDS)}${c === '住宅小区' ? random.pick(['小区', '家园', '花园', '苑']) : c}`,
    places,
  );
  const things: SiteRow[] = [];
  scatterSite('W', Math.round(1_000 * scale), THING_CATEGORIES, (c) => `${c}-${String(things.length + 1).padStart(5, '0')}`, things);
  const organisations: SiteRow[] = [];
  scatterSite(
    'O',
    Math.round(1_500 * scale),
    ORGANISATION_CATEGORIES,
    (c) => `湘麓${random.pick(PLACE_WORDS)}${c === '党组织' ? '党支部' : random.pick(ORGANISATION_SUFFIXES)}`,
    organisations,
  );
  return { places, things, organisations, hubs, hubCount };
}

/** Stage 9: events over 180 days: category mix, hot spots, hour-of-day and weekend patterns. */
function makeEvents(
  layout: Layout,
  where: ReturnType<typeof locator>,
  buildingList: Building[],
  pickBuilding: () => number,
  hubs: Array<{ u: number; v: number; weight: number }>,
  opts: DemoOptions,
) {
  const { random, toLngLat } = layout;
  const { cellOf, nearestAddress } = where;
  const scale = opts.scale;
  const events: EventRow[] = [];
  const eventCount = Math.round(20_000 * scale);
  const endMs = Date.parse(`${opts.endDate}T00:00:00+08:00`) + 86_400_000;
  const startMs = endMs - DAYS * 86_400_000;
  const pickHub = cumulativePicker(
    hubs.map((h) => h.weight),
    random,
  );
  const categoryWeights = EVENT_CATEGORIES.map((c) => c.share);
  const eventsPerCell = new Map<number, number>();
  while (events.length < eventCount) {
    const cat = random.weighted(EVENT_CATEGORIES, categoryWeights);
    let u: number;
    let v: number;
    if (random.next() < cat.hotspotShare * 0.6) {
      const hub = hubs[pickHub()] as { u: number; v: number };
      u = hub.u + random.normal() * 5;
      v = hub.v + random.normal() * 5;
    } else {
      const b = buildingList[pickBuilding()] as Building;
      u = b.u + random.next() * b.w + random.normal() * 0.5;
      v = b.v + random.next() * b.h + random.normal() * 0.5;
    }
    // Rejection sampling: a weekend day is weekendFactor times as likely as a weekday.
    const maxDayWeight = Math.max(1, cat.weekendFactor);
    let day: number;
    do {
      day = Math.floor(random.next() * DAYS);
    } while (random.next() * maxDayWeight > (isWeekend(startMs + day * 86_400_000) ? cat.weekendFactor : 1));
    const hour = random.weighted(HOURS, HOUR_PROFILES[cat.hours]);
    const minute = random.int(0, 59);
    const occurred = new Date(startMs + day * 86_400_000 + hour * 3_600_000 + minute * 60_000);
    const ageDays = DAYS - day;
    const status =
      ageDays > 30
        ? random.weighted(['evaluated', 'closed', 'dismissed'], [70, 25, 5])
        : random.weighted(['reported', 'filed', 'dispatched', 'handled', 'closed'], [15, 15, 25, 25, 20]);
    const [lon, lat] = toLngLat(u, v);
    const cell = cellOf(u, v);
    if (cell >= 0) eventsPerCell.set(cell, (eventsPerCell.get(cell) ?? 0) + 1);
    events.push({
      id: `E${String(events.length + 1).padStart(7, '0')}`,
      lon,
      lat,
      occurred_at: toChinaIso(occurred),
      category: cat.category,
      severity: random.weighted([1, 2, 3, 4], cat.severity),
      source: random.weighted(EVENT_SOURCES, EVENT_SOURCE_WEIGHTS),
      status,
      description: `${nearestAddress(u, v)}附近${cat.category}问题`,
    });
  }
  return { events, eventsPerCell };
}

/** Stage 10: cells with classes, A/B/C by problem volume (events) and workload (households). */
function classCells(layout: Layout, eventsPerCell: Map<number, number>, householdsPerCell: Map<number, number>) {
  const { cellRects, removed, cellCode, cellName, communityCodes, cellTraces, toMulti } = layout;
  const liveCells = cellRects.map((_, i) => i).filter((i) => !removed.has(i));
  const eventRank = percentileRanks(liveCells.map((i) => eventsPerCell.get(i) ?? 0));
  const householdRank = percentileRanks(liveCells.map((i) => householdsPerCell.get(i) ?? 0));
  const cellFeatures = liveCells.map((i, k) => {
    const score = 0.7 * (eventRank[k] as number) + 0.3 * (householdRank[k] as number);
    const cls: CellClass = score >= 0.85 ? 'A' : score >= 0.55 ? 'B' : 'C';
    const reason = JSON.stringify({
      rule: 'demo-percentile-v1',
      events: eventsPerCell.get(i) ?? 0,
      households: householdsPerCell.get(i) ?? 0,
      score: Math.round(score * 1000) / 1000,
      thresholds: { A: 0.85, B: 0.55 },
    });
    return {
      type: 'Feature' as const,
      properties: {
        code: cellCode.get(i) as string,
        name: cellName.get(i) as string,
        community_code: communityCodes[(cellRects[i] as { community: number }).community] as string,
        class: cls,
        class_reason: reason,
        households: householdsPerCell.get(i) ?? 0,
      },
      geometry: toMulti(cellTraces.get(i) ?? []),
    };
  });
  cellFeatures.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  return cellFeatures;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);

function pointLabel(at: LngLat, name: string, rank: 'district' | 'street' | 'community' | 'poi') {
  return { type: 'Feature' as const, properties: { name, rank }, geometry: { type: 'Point' as const, coordinates: at } };
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

/** A smooth, injective bend of the lattice (metres), different for every seed. */
function makeWarp(random: Random): (u: number, v: number) => [number, number] {
  const p = Array.from({ length: 4 }, () => random.next() * 2 * Math.PI);
  return (u, v) => [
    STEP_METERS * u +
      150 * Math.sin(((2 * Math.PI * v) / HEIGHT) * 1.2 + (p[0] as number)) +
      60 * Math.sin(((2 * Math.PI * u) / WIDTH) * 1.5 + (p[1] as number)),
    STEP_METERS * v +
      120 * Math.sin(((2 * Math.PI * u) / WIDTH) * 1.1 + (p[2] as number)) +
      40 * Math.sin(((2 * Math.PI * v) / HEIGHT) * 2 + (p[3] as number)),
  ];
}

function jitteredCuts(parts: number, size: number, jitter: number, random: Random): number[] {
  const cuts: number[] = [];
  for (let k = 1; k < parts; k++) cuts.push(Math.round(size * (k / parts + (random.next() - 0.5) * 2 * jitter * (1 / parts))));
  return cuts;
}

function makeBites(random: Random): LatticeRect[] {
  const bites: LatticeRect[] = [];
  const w = random.int(25, 45);
  const h = random.int(20, 40);
  bites.push({ u0: WIDTH - w, u1: WIDTH, v0: HEIGHT - h, v1: HEIGHT }); // north-east corner
  const s = random.int(60, 140);
  bites.push({ u0: s, u1: s + random.int(25, 40), v0: 0, v1: random.int(12, 20) }); // south edge
  const t = random.int(30, 120);
  bites.push({ u0: 0, u1: random.int(12, 22), v0: t, v1: t + random.int(20, 35) }); // west edge
  return bites;
}

function uniqueNames(random: Random, count: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let guard = 0; out.length < count && guard < count * 200; guard++) {
    const name =
      random.next() < 0.6 ? random.pick(PLACE_WORDS) : `${random.pick(PLACE_WORDS).slice(0, 1)}${random.pick(PLACE_WORDS).slice(1, 2)}`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
  }
  // Fall back to numbered names once the word list runs out, keeping names unique.
  for (let k = 1; out.length < count; k++) out.push(`${random.pick(PLACE_WORDS)}${k}`);
  return out;
}

function givenName(random: Random): string {
  return random.next() < 0.35 ? random.pick(GIVEN_CHARS) : `${random.pick(GIVEN_CHARS)}${random.pick(GIVEN_CHARS)}`;
}

/** Returns a valid 18-digit resident ID number (GB 11643-1999, ISO 7064 MOD 11-2 check digit). */
export function idCardNumber(region: string, birthYear: number, random: Random, gender: '男' | '女'): string {
  const month = String(random.int(1, 12)).padStart(2, '0');
  const day = String(random.int(1, 28)).padStart(2, '0');
  const seq = random.int(0, 99) * 10 + (gender === '男' ? random.pick([1, 3, 5, 7, 9]) : random.pick([0, 2, 4, 6, 8]));
  const body = `${region}${birthYear}${month}${day}${String(seq).padStart(3, '0')}`;
  return body + idCardCheckDigit(body);
}

function cumulativePicker(weights: number[], random: Random): () => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    cumulative[i] = total;
  });
  return () => {
    const r = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

function isWeekend(ms: number): boolean {
  const day = new Date(ms + 8 * 3_600_000).getUTCDay();
  return day === 0 || day === 6;
}

/** Formats an instant as ISO 8601 local time in China Standard Time (UTC+08:00). */
function toChinaIso(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Returns each value's percentile rank in [0, 1] (ties share the mean rank). */
export function percentileRanks(values: number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && (order[end + 1] as { v: number }).v === (order[start] as { v: number }).v) end++;
    const rank = order.length > 1 ? (start + end) / 2 / (order.length - 1) : 0.5;
    for (let k = start; k <= end; k++) ranks[(order[k] as { i: number }).i] = rank;
    start = end + 1;
  }
  return ranks;
}
