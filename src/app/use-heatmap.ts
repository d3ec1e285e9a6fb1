import type { FeatureCollection, MultiPolygon } from 'geojson';
import { type Dispatch, useEffect, useMemo, useRef, useState } from 'react';
import { type EventFilter, eventsOverTime } from '../domain/event-weights';
import type { BBox } from '../domain/ids';
import type { CellProperties, PointColumns } from '../domain/records';
import { assignPoints } from '../geo/assign-points';
import { convertForDisplay } from '../geo/convert-for-display';
import { type ChinaCrs, fromWgs84 } from '../geo/crs-china';
import { growBBox, kernelReachMeters, rasterFrame } from '../geo/kernel-density';
import { buildCellIndex } from '../geo/spatial-index';
import type { HeatLayerModel } from '../map/render-model';
import { type HeatChart, type HeatStatus, type HotspotView, snapToStep } from '../state/heat';
import { hotspotColor } from '../state/palettes';
import type { HeatSettings, Selection, UiAction } from '../state/ui-state';
import { saveFile } from '../ui/save-file';
import { createGeoWorker } from '../workers/geo-client';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Playback advances one step this often (ms). */
const PLAYBACK_INTERVAL = 700;

export interface HeatmapInput {
  on: boolean;
  settings: HeatSettings;
  events: PointColumns | undefined;
  cells: FeatureCollection<MultiPolygon, CellProperties> | null;
  districtBBox: BBox | null;
  selection: Selection;
  displayCrs: ChinaCrs;
  dispatch: Dispatch<UiAction>;
  /** The map's canvas, for recording a playback. */
  canvas(): HTMLCanvasElement | null;
  /** The caption burnt into each recorded frame for a time window. */
  caption(from: number, to: number): string;
  onError(message: string): void;
  onComputed?(info: { counted: number; max: number; end: number; threads: number }): void;
}

/**
 * The event heatmap: computed in a Web Worker whenever its settings or the time window change
 * (the newest request wins; the map never waits), playback over days or hours, recording of a
 * playback as WebM from the map canvas, and the chart of events per day.
 */
export function useHeatmap(input: HeatmapInput) {
  const { on, settings, events, cells, districtBBox, selection, displayCrs, dispatch } = input;
  const [layer, setLayer] = useState<HeatLayerModel | null>(null);
  const [status, setStatus] = useState<HeatStatus | null>(null);
  const [playing, setPlaying] = useState(false);
  const [recording, setRecording] = useState(false);
  const [chartScope, setChartScope] = useState<HeatChart['scope']>('district');
  const worker = useRef<ReturnType<typeof createGeoWorker> | null>(null);
  const sent = useRef<PointColumns | null>(null);
  const sentCells = useRef<FeatureCollection<MultiPolygon, CellProperties> | null>(null);
  const [hotspots, setHotspots] = useState<HotspotView | null>(null);
  const [bands, setBands] = useState<FeatureCollection | null>(null);
  const queue = useRef<{ running: boolean; next: (() => Promise<void>) | null }>({ running: false, next: null });
  const recorder = useRef<MediaRecorder | null>(null);
  const latest = useRef(input);
  latest.current = input;

  useEffect(() => () => worker.current?.terminate(), []);

  const range = useMemo(() => {
    const time = events?.time;
    if (!time || time.length === 0) return null;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const t of time) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    return { min, max };
  }, [events]);
  const categories = useMemo(() => [...new Set(events?.category ?? [])].sort(), [events]);
  const last = range ? snapToStep(range.max + 1, settings.step) : 0;
  const end = settings.end ?? last;

  // Compute: the newest request replaces any waiting one; one runs at a time.
  useEffect(() => {
    if (!on || !events?.time || !districtBBox || !range) return;
    const filter: EventFilter = {
      from: end - settings.windowHours * HOUR,
      to: end,
      categories: settings.categories,
      sources: settings.sources,
      minSeverity: settings.minSeverity,
      weightBy: settings.weightBy,
      halfLifeDays: settings.halfLifeDays,
    };
    const options = { kernel: settings.kernel, bandwidthMeters: settings.bandwidthMeters };
    const frame = rasterFrame(growBBox(districtBBox, kernelReachMeters(options)), settings.cellMeters);
    const time = events.time;
    const job = async () => {
      worker.current ??= createGeoWorker();
      const api = worker.current.api;
      if (sent.current !== events) {
        await api.setEvents({
          lng: events.lng,
          lat: events.lat,
          time,
          severity: events.severity,
          category: events.category,
          ...(events.source ? { source: events.source } : {}),
        });
        sent.current = events;
      }
      setStatus((s) => (s ? { ...s, computing: true } : { counted: 0, max: 0, ms: 0, threads: 1, computing: true }));
      const image = await api.heat(frame, options, filter, settings.isobands);
      setBands(image.bands ? convertForDisplay(image.bands, displayCrs) : null);
      const [w, s, e, n] = frame.bbox;
      const sw = fromWgs84([w, s], displayCrs);
      const ne = fromWgs84([e, n], displayCrs);
      setLayer({
        image: new ImageData(image.rgba as Uint8ClampedArray<ArrayBuffer>, image.width, image.height),
        bounds: [sw[0], sw[1], ne[0], ne[1]],
      });
      setStatus({ counted: image.counted, max: image.max, ms: image.ms, threads: image.threads, computing: false });
      if (settings.hotspots && cells) {
        if (sentCells.current !== cells) {
          await api.setCells(cells.features.map((f) => ({ code: f.properties.code as string, geometry: f.geometry })));
          sentCells.current = cells;
        }
        const result = await api.hotspots(filter, settings.fdr, settings.compare, settings.hotspotWeights);
        const byCode = new Map(cells.features.map((f) => [f.properties.code as string, f]));
        const classes: Record<number, number> = { [-3]: 0, [-2]: 0, [-1]: 0, 0: 0, 1: 0, 2: 0, 3: 0 };
        const trends: Record<string, number> | null = result.trend ? { new: 0, intensifying: 0, persistent: 0, diminishing: 0 } : null;
        const features: FeatureCollection['features'] = [];
        result.codes.forEach((code, i) => {
          const bin = result.hotspot[i] as number;
          classes[bin] = (classes[bin] ?? 0) + 1;
          const trend = result.trend ? result.trend[i] : undefined;
          if (trends && trend) trends[trend] = (trends[trend] ?? 0) + 1;
          const color = hotspotColor(bin, trend);
          const f = byCode.get(code);
          if (color && f)
            features.push({ type: 'Feature', properties: { code, hotspot: bin, trend: trend ?? null, color }, geometry: f.geometry });
        });
        setHotspots({ shapes: convertForDisplay({ type: 'FeatureCollection', features }, displayCrs), classes, trends });
      } else setHotspots(null);
      latest.current.onComputed?.({ counted: image.counted, max: image.max, end, threads: image.threads });
    };
    const q = queue.current;
    const run = async (next: () => Promise<void>) => {
      q.running = true;
      try {
        await next();
      } catch (error) {
        latest.current.onError(error instanceof Error ? error.message : String(error));
      } finally {
        q.running = false;
        const waiting = q.next;
        q.next = null;
        if (waiting) void run(waiting);
      }
    };
    if (q.running) q.next = job;
    else void run(job);
  }, [on, settings, events, cells, districtBBox, range, end, displayCrs]);

  // Playback: one step at a time up to the last event; recording stops with it.
  useEffect(() => {
    if (!playing || !range) return;
    const stepMs = settings.step === 'hour' ? HOUR : DAY;
    const id = setInterval(() => {
      const current = latest.current.settings.end ?? last;
      if (current >= last) {
        setPlaying(false);
        return;
      }
      dispatch({ type: 'heat-set', settings: { end: Math.min(last, current + stepMs) } });
    }, PLAYBACK_INTERVAL);
    return () => clearInterval(id);
  }, [playing, range, settings.step, last, dispatch]);

  // The recording holds the last frame for a second, then stops.
  useEffect(() => {
    const rec = recorder.current;
    if (playing || rec?.state !== 'recording') return;
    const id = setTimeout(() => rec.stop(), 1000);
    return () => clearTimeout(id);
  }, [playing]);

  const play = (next: boolean) => {
    if (next && range && end >= last) {
      // At the end: start again from the first full window.
      dispatch({ type: 'heat-set', settings: { end: Math.min(last, snapToStep(range.min, settings.step) + settings.windowHours * HOUR) } });
    }
    setPlaying(next);
  };

  /** Records the map canvas as WebM while playback runs from the current window to the end, then downloads it. */
  const record = (unsupported: string) => {
    const canvas = input.canvas();
    const mime = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find(
      (m) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(m),
    );
    if (!canvas || !mime) {
      input.onError(unsupported);
      return;
    }
    // Each frame: the map as drawn (WebGL canvases do not stream everywhere, so it is copied onto
    // a 2D canvas) with the time window written in the corner.
    const frame = document.createElement('canvas');
    frame.width = canvas.width;
    frame.height = canvas.height;
    // Chromium streams only canvases in the document: keep it there, out of sight.
    frame.style.cssText = 'position: fixed; left: -100000px; top: 0; pointer-events: none';
    document.body.appendChild(frame);
    const ctx = frame.getContext('2d');
    if (!ctx) {
      input.onError(unsupported);
      return;
    }
    const scale = canvas.width / Math.max(1, canvas.clientWidth);
    let timer = 0;
    // A timer, not requestAnimationFrame: copying a WebGL canvas in an animation frame starves
    // the recorder in Chromium (measured: no frames at all), a timer does not.
    const paint = () => {
      const s = latest.current.settings;
      const to = s.end ?? last;
      ctx.drawImage(canvas, 0, 0);
      const text = latest.current.caption(to - s.windowHours * HOUR, to);
      ctx.font = `${Math.round(16 * scale)}px sans-serif`;
      const width = ctx.measureText(text).width;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillRect(8 * scale, 8 * scale, width + 16 * scale, 28 * scale);
      ctx.fillStyle = '#23202b';
      ctx.fillText(text, 16 * scale, 28 * scale);
      timer = window.setTimeout(paint, 1000 / 12);
    };
    paint();
    const chunks: Blob[] = [];
    const rec = new MediaRecorder(frame.captureStream(12), { mimeType: mime });
    rec.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    rec.onstop = () => {
      clearTimeout(timer);
      frame.remove();
      saveFile(chunks, `gridatlas-heat-playback-${new Date().toISOString().slice(0, 10)}.webm`, 'video/webm');
      setRecording(false);
      recorder.current = null;
    };
    rec.start(500);
    recorder.current = rec;
    setRecording(true);
    if (end >= last && range) play(true);
    else setPlaying(true);
  };

  // Events per day for the district, the selected cell, or its community.
  const eventCells = useMemo(() => {
    if (!events || !cells) return null;
    const index = buildCellIndex(cells.features);
    const hits = assignPoints(index, events.lng, events.lat);
    const byCode = new Map(cells.features.map((f) => [f.properties.code as string, f.properties]));
    return Array.from(hits, (h) => (h < 0 ? null : (byCode.get(index.codes[h] as string) ?? null)));
  }, [events, cells]);
  const selectedCell =
    selection?.type === 'cell' ? cells?.features.find((f) => f.properties.code === selection.code)?.properties : undefined;
  const chartScopes: HeatChart['scope'][] = selectedCell ? ['district', 'community', 'cell'] : ['district'];
  const chart = useMemo((): HeatChart | null => {
    if (!events?.time || !range) return null;
    const from = snapToStep(range.min, 'day') - DAY;
    const to = snapToStep(range.max + 1, 'day');
    const scope = selectedCell ? chartScope : 'district';
    const pick =
      scope === 'district' || !eventCells || !selectedCell
        ? undefined
        : scope === 'cell'
          ? (i: number) => eventCells[i]?.code === selectedCell.code
          : (i: number) => eventCells[i]?.communityCode === selectedCell.communityCode;
    const name = scope === 'cell' ? (selectedCell?.name ?? null) : scope === 'community' ? (selectedCell?.communityName ?? null) : null;
    return { scope, name, counts: eventsOverTime(events.time, from, to, DAY, pick), from };
  }, [events, range, selectedCell, chartScope, eventCells]);

  return {
    layer: on ? layer : null,
    hotspots: on ? hotspots : null,
    bands: on ? bands : null,
    status,
    range,
    categories,
    playing,
    play,
    recording,
    record,
    chart,
    chartScopes,
    setChartScope,
  };
}
