import type { LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { LngLat } from '../domain/ids';

/** A shape to sketch over the map and how: colours as CSS colours, widths and radii in CSS pixels. */
export interface SketchItem {
  geometry: Polygon | MultiPolygon | LineString | Point;
  fill?: string;
  fillOpacity?: number;
  stroke?: string;
  strokeOpacity?: number;
  width?: number;
  /** Dash and gap lengths in pixels; none: solid. */
  dash?: readonly number[];
  /** Points: the circle's radius. */
  radius?: number;
}

/**
 * Shapes that change with every pointer event (a dragged handle's cells, a polygon being drawn),
 * drawn on a 2D canvas over the map instead of through a map source. Setting a source's data makes
 * the map redraw every cell on screen; a small canvas over just these shapes, cleared and drawn
 * again from projected positions, is all a pointer event then costs. The owner draws again when
 * the map moves.
 */
export class SketchCanvas {
  private canvas: HTMLCanvasElement | null = null;
  /** How many items are drawn now (for tests and benchmarks). */
  items = 0;

  /**
   * `parent` is the map's container; the canvas goes right after `under` (the map's canvas
   * container), so the map's controls stay above it. `testId` names the canvas for tests.
   * `software` draws on the CPU: for a large canvas drawn while the map loads, which would
   * otherwise wait behind the map's own drawing (and its shader compiles) on a software GPU.
   */
  constructor(
    private readonly parent: HTMLElement,
    private readonly under: HTMLElement,
    private readonly project: (p: LngLat) => [number, number],
    private readonly testId: string,
    private readonly software = false,
  ) {}

  /** Draws these items in order (later ones on top); null or none clears. */
  draw(items: readonly SketchItem[] | null): void {
    if (!items || items.length === 0) {
      this.canvas?.remove();
      this.canvas = null;
      this.items = 0;
      return;
    }
    // Screen positions first: the canvas covers only their box (a small layer to redraw and
    // composite, not a second full-screen one).
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    const rings = items.map((item) => {
      const pad = Math.max(item.radius ?? 0, 0) + (item.width ?? 0) + 1;
      return lineSets(item.geometry).map((line) => {
        const xy = new Float64Array(line.length * 2);
        line.forEach((p, i) => {
          const [x, y] = this.project(p as LngLat);
          xy[2 * i] = x;
          xy[2 * i + 1] = y;
          x0 = Math.min(x0, x - pad);
          y0 = Math.min(y0, y - pad);
          x1 = Math.max(x1, x + pad);
          y1 = Math.max(y1, y + pad);
        });
        return xy;
      });
    });
    const left = Math.max(0, Math.floor(x0));
    const top = Math.max(0, Math.floor(y0));
    const right = Math.min(this.parent.clientWidth, Math.ceil(x1));
    const bottom = Math.min(this.parent.clientHeight, Math.ceil(y1));
    const canvas = this.place(left, top, Math.max(1, right - left), Math.max(1, bottom - top));
    const ctx = canvas.getContext('2d', { willReadFrequently: this.software });
    if (!ctx) return;
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, -left * ratio, -top * ratio);
    ctx.clearRect(left, top, canvas.width / ratio, canvas.height / ratio);
    items.forEach((item, k) => {
      ctx.beginPath();
      for (const xy of rings[k] ?? []) {
        if (item.geometry.type === 'Point') ctx.arc(xy[0] as number, xy[1] as number, item.radius ?? 3, 0, 2 * Math.PI);
        else
          for (let i = 0; i < xy.length; i += 2) {
            if (i === 0) ctx.moveTo(xy[i] as number, xy[i + 1] as number);
            else ctx.lineTo(xy[i] as number, xy[i + 1] as number);
          }
      }
      if (item.fill && item.geometry.type !== 'LineString') {
        ctx.globalAlpha = item.fillOpacity ?? 1;
        ctx.fillStyle = item.fill;
        ctx.fill('evenodd');
      }
      if (item.stroke && (item.width ?? 0) > 0) {
        ctx.globalAlpha = item.strokeOpacity ?? 1;
        ctx.strokeStyle = item.stroke;
        ctx.lineWidth = item.width ?? 1;
        ctx.lineJoin = 'round';
        ctx.setLineDash(item.dash ? [...item.dash] : []);
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    });
    this.items = items.length;
  }

  /**
   * The canvas over the map at this box (CSS pixels from the map's top left), at the screen's
   * pixel ratio; it takes no pointer events.
   */
  private place(left: number, top: number, width: number, height: number): HTMLCanvasElement {
    const ratio = window.devicePixelRatio || 1;
    if (!this.canvas) {
      this.canvas = document.createElement('canvas');
      this.canvas.dataset.testid = this.testId;
      Object.assign(this.canvas.style, { position: 'absolute', pointerEvents: 'none' });
      this.parent.insertBefore(this.canvas, this.under.nextSibling);
    }
    const canvas = this.canvas;
    canvas.style.left = `${left}px`;
    canvas.style.top = `${top}px`;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    return canvas;
  }
}

/** The position lists a geometry draws: its rings, its line, or its one point. */
function lineSets(geometry: SketchItem['geometry']): (readonly number[])[][] {
  switch (geometry.type) {
    case 'Point':
      return [[geometry.coordinates]];
    case 'LineString':
      return [geometry.coordinates];
    case 'Polygon':
      return geometry.coordinates;
    case 'MultiPolygon':
      return geometry.coordinates.flat();
  }
}
