import type { LineString, Polygon } from 'geojson';
import type maplibregl from 'maplibre-gl';
import type { TerraDraw } from 'terra-draw';
import type { LngLat } from '../domain/ids';
import type { SketchCanvas } from './sketch-canvas';

/** Moves a drawn corner onto a target (display coordinates), or null to leave it. */
export type Snapper = (lngLat: LngLat) => LngLat | null;

/**
 * Drawing a line or a polygon on the map with terra-draw (loaded the first time it is needed),
 * one shape at a time: while one is drawn (`drawing`), clicks on the map neither select nor
 * drag a handle.
 */
export class DrawSession {
  /** Whether a shape is being drawn (or its tool is loading). */
  drawing = false;
  /** Whether the drawing tool takes clicks now (for tests). */
  ready = false;
  private draw: TerraDraw | null = null;
  private load: Promise<TerraDraw> | null = null;
  private snapper: Snapper | null = null;
  private pendingCancel: (() => void) | null = null;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly sketch: SketchCanvas,
  ) {}

  /** terra-draw, loaded and started once (editing loads it before the first tool is used). */
  tool(): Promise<TerraDraw> {
    this.load ??= import('./terra-draw-tools').then(({ createTerraDraw }) => {
      const draw = createTerraDraw(this.map, this.sketch, (p) => this.snapper?.(p) ?? null);
      draw.start();
      this.draw = draw;
      return draw;
    });
    return this.load;
  }

  /** Stops the shape being drawn; its promise resolves with null. */
  cancel(): void {
    this.pendingCancel?.();
  }

  stop(): void {
    this.cancel();
    this.draw?.stop();
  }

  /**
   * Lets the user draw a shape (click to add points; a line ends with Enter or a click on its
   * last point, a polygon with a click on its first corner; Escape cancels). Each point goes
   * through `snap`, which may still be on its way: until it is, the map is held and the tool is
   * not ready. Resolves with the shape, or null when cancelled.
   */
  async shape(mode: 'linestring' | 'polygon', snap: Snapper | null | Promise<Snapper | null>): Promise<LineString | Polygon | null> {
    this.cancel();
    // From here on a click neither selects nor drags a handle, also while the snap targets load.
    this.drawing = true;
    let cancelled = false;
    this.pendingCancel = () => {
      cancelled = true;
    };
    const onWaitKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') cancelled = true;
    };
    window.addEventListener('keydown', onWaitKey);
    const canvas = this.map.getCanvas();
    canvas.style.cursor = 'progress';
    let snapper: Snapper | null;
    let draw: TerraDraw;
    try {
      [snapper, draw] = await Promise.all([snap, this.tool()]);
    } catch (error) {
      cancelled = true;
      throw error;
    } finally {
      window.removeEventListener('keydown', onWaitKey);
      canvas.style.cursor = '';
      if (cancelled) {
        this.pendingCancel = null;
        this.drawing = false;
      }
    }
    if (cancelled) return null;
    this.snapper = snapper;
    draw.setMode(mode);
    this.ready = true;
    return new Promise<LineString | Polygon | null>((resolve) => {
      const done = (shape: LineString | Polygon | null) => {
        draw.off('finish', onFinish);
        window.removeEventListener('keydown', onKey);
        this.pendingCancel = null;
        this.snapper = null;
        this.ready = false;
        draw.clear();
        draw.setMode('static');
        // Let the click that finished the shape pass before clicks select again.
        setTimeout(() => {
          this.drawing = false;
        }, 0);
        resolve(shape);
      };
      const onFinish = (id: string | number) => {
        const feature = draw.getSnapshotFeature(id);
        const type = mode === 'polygon' ? 'Polygon' : 'LineString';
        done(feature?.geometry.type === type ? (feature.geometry as LineString | Polygon) : null);
      };
      const onKey = (e: KeyboardEvent) => {
        if (e.key === 'Escape') done(null);
      };
      this.pendingCancel = () => done(null);
      draw.on('finish', onFinish);
      window.addEventListener('keydown', onKey);
    });
  }
}
