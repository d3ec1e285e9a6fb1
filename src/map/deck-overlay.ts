import { BitmapLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type maplibregl from 'maplibre-gl';
import type { CasePoints } from '../domain/cases';
import type { LngLat, PointKind } from '../domain/ids';
import type { PointColumns } from '../domain/records';
import { CASE_GROUP_COLORS, CASE_OVERDUE_COLOR, caseStateGroup } from '../state/palettes';
import type { Selection } from '../state/ui-state';
import { interleavePositions, pointColors } from './layers/point-style';
import type { LabelModel, LiveHighlight, RenderModel } from './render-model';

/** Rings of the live view: events amber, case steps blue, whistles magenta (apart from the class and state colours). */
const HIGHLIGHT_COLORS: Record<LiveHighlight['kind'], [number, number, number]> = {
  event: [245, 158, 11],
  case: [37, 99, 235],
  whistle: [219, 39, 119],
  // The door of the house plate whose page is open: the plates' navy.
  plate: [31, 58, 104],
};

const LABEL_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

interface PointBuffers {
  positions: Float64Array;
  colors: Uint8Array;
  indexOf: Map<string, number>;
}

/**
 * deck.gl on the map (MapboxOverlay, interleaved): the heat raster, the point layers and the
 * labels of a RenderModel. A module of its own so that the map's first frames do not wait for
 * deck.gl to load.
 */
export class DeckOverlay {
  private readonly overlay = new MapboxOverlay({ interleaved: true, layers: [] });
  private readonly buffers = new WeakMap<PointColumns, PointBuffers>();
  private readonly caseBuffers = new WeakMap<CasePoints, { positions: Float64Array; fill: Uint8Array; line: Uint8Array }>();
  private model: RenderModel | null = null;

  constructor(map: maplibregl.Map) {
    map.addControl(this.overlay);
  }

  /** Draws the model's deck.gl layers. */
  update(model: RenderModel): void {
    this.model = model;
    this.overlay.setProps({ layers: this.layers(model) });
  }

  /** How many cases the overlay's layers hold (and a click can pick). */
  get casesShown(): number {
    return this.model?.cases?.points.ids.length ?? 0;
  }

  /** How many places the overlay rings as just happened. */
  get highlightsShown(): number {
    return this.model?.highlights.length ?? 0;
  }

  private bufferFor(points: PointColumns): PointBuffers {
    let b = this.buffers.get(points);
    if (!b) {
      const indexOf = new Map<string, number>();
      for (let i = 0; i < points.ids.length; i++) indexOf.set(points.ids[i] as string, i);
      b = { positions: interleavePositions(points), colors: pointColors(points), indexOf };
      this.buffers.set(points, b);
    }
    return b;
  }

  /** Positions and colours of the cases: fill by state group, a red ring when overdue (white otherwise). */
  private caseBufferFor(cases: CasePoints) {
    let b = this.caseBuffers.get(cases);
    if (!b) {
      const n = cases.ids.length;
      const positions = new Float64Array(n * 2);
      const fill = new Uint8Array(n * 4);
      const line = new Uint8Array(n * 4);
      for (let i = 0; i < n; i++) {
        positions[2 * i] = cases.lng[i] as number;
        positions[2 * i + 1] = cases.lat[i] as number;
        fill.set(CASE_GROUP_COLORS[caseStateGroup(cases.states[i] as string)], 4 * i);
        line.set(cases.overdue[i] ? CASE_OVERDUE_COLOR : [255, 255, 255, 255], 4 * i);
      }
      b = { positions, fill, line };
      this.caseBuffers.set(cases, b);
    }
    return b;
  }

  private layers(model: RenderModel) {
    const layers: Array<BitmapLayer | ScatterplotLayer | ScatterplotLayer<LngLat> | TextLayer<LabelModel>> = [];
    if (model.heat) {
      // Under the points: the density raster, its colours fixed in density units.
      layers.push(new BitmapLayer({ id: 'heat', image: model.heat.image, bounds: model.heat.bounds, opacity: model.heat.opacity ?? 0.85 }));
    }
    const pointLayers = model.points.map(({ kind, points, radiusPixels }) => {
      const b = this.bufferFor(points);
      return new ScatterplotLayer({
        id: `points-${kind}`,
        data: {
          length: points.ids.length,
          attributes: {
            getPosition: { value: b.positions, size: 2 },
            getFillColor: { value: b.colors, size: 4, normalized: true },
          },
        },
        radiusUnits: 'pixels',
        getRadius: radiusPixels,
        radiusMinPixels: 1,
        pickable: true,
        stroked: false,
        updateTriggers: { getRadius: radiusPixels },
      });
    });
    layers.push(...pointLayers);
    if (model.cases) {
      const { points: cases, radiusPixels, selectedId } = model.cases;
      const b = this.caseBufferFor(cases);
      layers.push(
        new ScatterplotLayer({
          id: 'cases',
          data: {
            length: cases.ids.length,
            attributes: {
              getPosition: { value: b.positions, size: 2 },
              getFillColor: { value: b.fill, size: 4, normalized: true },
              getLineColor: { value: b.line, size: 4, normalized: true },
            },
          },
          radiusUnits: 'pixels',
          getRadius: radiusPixels,
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 2.5,
          pickable: true,
          updateTriggers: { getRadius: radiusPixels },
        }),
      );
      const k = selectedId ? cases.ids.indexOf(selectedId) : -1;
      if (k >= 0)
        layers.push(
          new ScatterplotLayer<LngLat>({
            id: 'cases-selected',
            data: [[cases.lng[k] as number, cases.lat[k] as number]],
            getPosition: (d) => d,
            radiusUnits: 'pixels',
            getRadius: radiusPixels + 5,
            filled: false,
            stroked: true,
            lineWidthUnits: 'pixels',
            getLineWidth: 3,
            getLineColor: [29, 63, 154, 255],
          }),
        );
    }
    const selected = model.selectedPoint;
    const selectedPoints = selected ? model.points.find((p) => p.kind === selected.kind)?.points : undefined;
    const selectedIndex = selected && selectedPoints ? this.bufferFor(selectedPoints).indexOf.get(selected.id) : undefined;
    if (selectedPoints && selectedIndex !== undefined) {
      const position: LngLat = [selectedPoints.lng[selectedIndex] as number, selectedPoints.lat[selectedIndex] as number];
      layers.push(
        new ScatterplotLayer<LngLat>({
          id: 'points-selected',
          data: [position],
          getPosition: (d) => d,
          radiusUnits: 'pixels',
          getRadius: 8,
          filled: false,
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 3,
          getLineColor: [29, 63, 154, 255],
        }),
      );
    }
    if (model.highlights.length > 0)
      layers.push(
        new ScatterplotLayer<LiveHighlight>({
          id: 'live-highlights',
          data: model.highlights,
          getPosition: (d) => d.lngLat,
          radiusUnits: 'pixels',
          getRadius: 15,
          filled: true,
          getFillColor: (d) => [...HIGHLIGHT_COLORS[d.kind], 60],
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 3,
          getLineColor: (d) => [...HIGHLIGHT_COLORS[d.kind], 255],
          pickable: false,
        }),
      );
    layers.push(
      new TextLayer<LabelModel>({
        id: 'labels',
        data: model.labels,
        getText: (d) => d.text,
        getPosition: (d) => d.position,
        getSize: (d) => d.sizePixels,
        getColor: (d) => (d.rank === 'street' ? [72, 52, 120, 255] : [40, 40, 40, 255]),
        characterSet: 'auto',
        fontFamily: LABEL_FONTS,
        fontWeight: 600,
        fontSettings: { sdf: true },
        outlineWidth: 4,
        outlineColor: [255, 255, 255, 230],
        sizeUnits: 'pixels',
        pickable: false,
      }),
    );
    return layers;
  }

  /** Returns the case or point drawn at this screen position (CSS pixels in the map), or null. */
  pickPoint(x: number, y: number): Exclude<Selection, null | { type: 'cell' }> | null {
    const info = this.overlay.pickObject({ x, y, radius: 5 });
    const layerId = info?.layer?.id ?? '';
    if (info && layerId === 'cases' && info.index >= 0) {
      const id = this.model?.cases?.points.ids[info.index];
      return id ? { type: 'case', id } : null;
    }
    if (!info || !layerId.startsWith('points-') || layerId === 'points-selected' || info.index < 0) return null;
    const kind = layerId.slice('points-'.length) as PointKind;
    const points = this.model?.points.find((p) => p.kind === kind)?.points;
    const id = points?.ids[info.index];
    return id ? { type: 'point', kind, id } : null;
  }
}
