import type { GeoJSONStoreFeatures, TerraDrawChanges, TerraDrawStylingFunction } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { SketchCanvas, SketchItem } from './sketch-canvas';

type MapLibreMap = ConstructorParameters<typeof TerraDrawMapLibreGLAdapter>[0]['map'] & {
  on(type: 'move', listener: () => void): void;
};

/**
 * terra-draw on MapLibre, with the shape being drawn (its lines, fill and corner points) sketched
 * on a canvas over the map instead of in map sources: the rubber band follows the pointer without
 * making the map redraw every cell on screen at each event. Events, projection, cursor and panning
 * are the MapLibre adapter's.
 */
export class CanvasDrawAdapter extends TerraDrawMapLibreGLAdapter<MapLibreMap> {
  private readonly sketch: SketchCanvas;
  private items: SketchItem[] = [];
  private frame: number | undefined;

  constructor(map: MapLibreMap, sketch: SketchCanvas) {
    super({ map });
    this.sketch = sketch;
    // The shapes stay where they are on the ground when the map pans or zooms.
    map.on('move', () => {
      if (this.items.length > 0) this.sketch.draw(this.items);
    });
  }

  /** Sketches every feature terra-draw holds, by its mode's style, once per animation frame. */
  override render(changes: TerraDrawChanges, styling: TerraDrawStylingFunction): void {
    const features = [...changes.created, ...changes.updated, ...changes.unchanged];
    this.items = features
      .map((feature) => ({ feature, style: styling[feature.properties.mode as string]?.(feature) }))
      .filter((f): f is { feature: GeoJSONStoreFeatures; style: NonNullable<typeof f.style> } => f.style !== undefined)
      // Fills under lines under points, each by its z-index, as the adapter's layers draw them.
      .sort((a, b) => order(a.feature) - order(b.feature) || a.style.zIndex - b.style.zIndex)
      .map(({ feature, style }): SketchItem => {
        const geometry = feature.geometry;
        if (geometry.type === 'Point')
          return {
            geometry,
            radius: style.pointWidth,
            fill: style.pointColor,
            fillOpacity: style.pointOpacity ?? 1,
            stroke: style.pointOutlineColor,
            strokeOpacity: style.pointOutlineOpacity ?? 1,
            width: style.pointOutlineWidth,
          };
        if (geometry.type === 'LineString')
          return {
            geometry,
            stroke: style.lineStringColor,
            strokeOpacity: style.lineStringOpacity ?? 1,
            width: style.lineStringWidth,
            ...(Array.isArray(style.lineStringDash) ? { dash: style.lineStringDash } : {}),
          };
        return {
          geometry,
          fill: style.polygonFillColor,
          fillOpacity: style.polygonFillOpacity,
          stroke: style.polygonOutlineColor,
          strokeOpacity: style.polygonOutlineOpacity ?? 1,
          width: style.polygonOutlineWidth,
        };
      });
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.sketch.draw(this.items);
    });
  }

  override clear(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.items = [];
    this.sketch.draw(null);
    super.clear();
  }
}

function order(feature: GeoJSONStoreFeatures): number {
  return feature.geometry.type === 'Polygon' ? 0 : feature.geometry.type === 'LineString' ? 1 : 2;
}
