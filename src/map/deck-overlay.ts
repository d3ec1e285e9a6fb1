import { BitmapLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type maplibregl from 'maplibre-gl';
import type { LngLat, PointKind } from '../domain/ids';
import type { PointColumns } from '../domain/records';
import { interleavePositions, pointColors } from './layers/point-style';
import type { LabelModel, RenderModel } from './render-model';

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
  private model: RenderModel | null = null;

  constructor(map: maplibregl.Map) {
    map.addControl(this.overlay);
  }

  /** Draws the model's deck.gl layers. */
  update(model: RenderModel): void {
    this.model = model;
    this.overlay.setProps({ layers: this.layers(model) });
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

  /** Returns the point drawn at this screen position (CSS pixels in the map), or null. */
  pickPoint(x: number, y: number): { kind: PointKind; id: string } | null {
    const info = this.overlay.pickObject({ x, y, radius: 5 });
    const layerId = info?.layer?.id ?? '';
    if (!info || !layerId.startsWith('points-') || layerId === 'points-selected' || info.index < 0) return null;
    const kind = layerId.slice('points-'.length) as PointKind;
    const points = this.model?.points.find((p) => p.kind === kind)?.points;
    const id = points?.ids[info.index];
    return id ? { kind, id } : null;
  }
}
