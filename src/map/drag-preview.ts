import type { MultiPolygon, Polygon } from 'geojson';
import type { LngLat } from '../domain/ids';

/** Blue dashes, as the map draws a cell's past shapes. */
const LINE = '#2f6fde';
const FILL = 'rgba(47, 111, 222, 0.18)';
const HANDLE_RADIUS = 5;

/**
 * The shapes a drag is moving, drawn on a 2D canvas over the map instead of through a map source.
 * Setting a source's data makes the map redraw every cell on screen, on every pointer event; while
 * a handle is dragged the map stands still, so a small canvas over the moved shapes, cleared and
 * redrawn from projected positions, is all a pointer event costs.
 */
export class DragPreview {
  private canvas: HTMLCanvasElement | null = null;
  /** The shapes and handles drawn now (for tests and benchmarks). */
  shapes = 0;

  /**
   * `parent` is the map's container; the canvas goes right after `under` (the map's canvas
   * container), so the map's controls stay above it.
   */
  constructor(
    private readonly parent: HTMLElement,
    private readonly under: HTMLElement,
    private readonly project: (p: LngLat) => [number, number],
  ) {}

  /** Draws these shapes, with a handle on each moved position; null clears. */
  draw(shapes: readonly (Polygon | MultiPolygon)[] | null, handles: readonly LngLat[] = []): void {
    if (!shapes) {
      this.clear();
      return;
    }
    // Screen positions first: the canvas covers only their box (a small layer to redraw and
    // composite, not a second full-screen one).
    const rings: Float64Array[] = [];
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    const take = (p: LngLat, into: Float64Array, at: number) => {
      const [x, y] = this.project(p);
      into[at] = x;
      into[at + 1] = y;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    };
    for (const shape of shapes)
      for (const polygon of shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates)
        for (const ring of polygon) {
          const xy = new Float64Array(ring.length * 2);
          ring.forEach((p, i) => take(p as LngLat, xy, 2 * i));
          rings.push(xy);
        }
    const dots = new Float64Array(handles.length * 2);
    handles.forEach((h, i) => take(h, dots, 2 * i));
    const pad = HANDLE_RADIUS + 2;
    const left = Math.max(0, Math.floor(x0 - pad));
    const top = Math.max(0, Math.floor(y0 - pad));
    const right = Math.min(this.parent.clientWidth, Math.ceil(x1 + pad));
    const bottom = Math.min(this.parent.clientHeight, Math.ceil(y1 + pad));
    const canvas = this.place(left, top, Math.max(1, right - left), Math.max(1, bottom - top));
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, -left * ratio, -top * ratio);
    ctx.clearRect(left, top, canvas.width / ratio, canvas.height / ratio);
    ctx.beginPath();
    for (const xy of rings)
      for (let i = 0; i < xy.length; i += 2) {
        if (i === 0) ctx.moveTo(xy[i] as number, xy[i + 1] as number);
        else ctx.lineTo(xy[i] as number, xy[i + 1] as number);
      }
    ctx.fillStyle = FILL;
    ctx.fill('evenodd');
    ctx.strokeStyle = LINE;
    ctx.lineWidth = 2;
    ctx.setLineDash([4, 2]);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#ffffff';
    for (let i = 0; i < dots.length; i += 2) {
      ctx.beginPath();
      ctx.arc(dots[i] as number, dots[i + 1] as number, HANDLE_RADIUS, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    this.shapes = shapes.length;
  }

  private clear(): void {
    this.canvas?.remove();
    this.canvas = null;
    this.shapes = 0;
  }

  /**
   * The canvas over the map at this box (CSS pixels from the map's top left), at the screen's
   * pixel ratio; it takes no pointer events.
   */
  private place(left: number, top: number, width: number, height: number): HTMLCanvasElement {
    const ratio = window.devicePixelRatio || 1;
    if (!this.canvas) {
      this.canvas = document.createElement('canvas');
      this.canvas.dataset.testid = 'drag-preview';
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
