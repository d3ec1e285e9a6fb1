import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson';
import maplibregl, { type GeoJSONSource, type MapMouseEvent, type StyleSpecification } from 'maplibre-gl';
import type { BBox, CellCode, LngLat } from '../domain/ids';
import type { Selection } from '../state/ui-state';
import { CellsPoster } from './cells-poster';
import type { DeckOverlay } from './deck-overlay';
import { DrawSession, type Snapper } from './draw-session';
import type { MapShapes, RenderModel } from './render-model';
import { SketchCanvas } from './sketch-canvas';
import {
  addAppLayers,
  applyLayerState,
  CELLS_FILL_LAYER,
  HANDLES_LAYER,
  HANDLES_SOURCE,
  SHAPE_SOURCES,
  setSourceData,
} from './style-layers';
import { handleAt, handleFeatures } from './vertex-handles';

export interface MapControllerOptions {
  container: HTMLElement;
  style: StyleSpecification | string;
  bounds: BBox | null;
  /** Camera to start from instead of `bounds` (when the map is rebuilt). */
  camera?: { center: LngLat; zoom: number; bearing: number };
  /** MapLibre UI strings (control tooltips, scale units) in the UI's language. */
  locale: Record<string, string>;
  /** A click on the map: what is under it, and whether shift was held (to add to a pick). */
  onSelect(selection: Selection, modifiers: { additive: boolean }): void;
  /** Shift-drag outside editing: the cells the box drawn touches (in the order drawn), to add to the picked set. */
  onBoxSelect?(codes: CellCode[]): void;
  onZoom(zoom: number): void;
  onError(message: string): void;
  /** Called on every 'idle' of the map with whether the cells are on it. */
  onIdle(state: { cellsDrawn: boolean }): void;
  /** Once, when the map first shows cells a click can pick (the poster's or the map's own). */
  onCellsShown?(): void;
  /**
   * A handle being dragged: a vertex (one position) or the middle of an edge (its two ends, which
   * move together); `from` are the positions before, `to` where they are now; `done` on release.
   */
  onVertexDrag?(from: LngLat[], to: LngLat[], done: boolean): void;
}

const NO_SHAPES: MapShapes = { cells: null, communities: null, hotspots: null, isobands: null, overlay: null };

/**
 * Owns the MapLibre map, its app layers (style-layers.ts), the deck.gl overlay (interleaved),
 * the drawing tool (draw-session.ts) and the vertex handles. What the map shows comes through
 * one channel, `update(model)`, diffed against the last model; imperative are only what returns
 * a promise (drawing a shape, dropping a pin), the previews that follow the pointer, and the
 * camera. It never reads UI state itself.
 */
export class MapController {
  private readonly map: maplibregl.Map;
  /** The deck.gl overlay (points, heat raster, labels), loaded after the map's first frames. */
  private deck: DeckOverlay | null = null;
  private deckLoading = false;
  private destroyed = false;
  private readonly options: MapControllerOptions;
  private model: RenderModel | null = null;
  /** The model the style's layers show (null: none yet, or the style loaded anew). */
  private styleModel: RenderModel | null = null;
  /** The shapes and handle rings the style's sources hold. */
  private shownShapes: MapShapes = NO_SHAPES;
  private shownRings: RenderModel['vertexRings'] | null = null;
  private styleLoaded = false;
  private handles: FeatureCollection<Point> = handleFeatures([]);
  private readonly drawSession: DrawSession;
  private justDragged = false;
  private dragging = false;
  private readonly dragPreview: SketchCanvas;
  private readonly poster: CellsPoster;
  /** Whether the cells' source holds the cells given (the poster stands in until it has drawn them). */
  private cellsOnSource = false;
  private pinning: ((lngLat: LngLat | null) => void) | null = null;
  private cellsShown = false;

  constructor(options: MapControllerOptions) {
    this.options = options;
    this.map = new maplibregl.Map({
      container: options.container,
      style: options.style,
      ...(options.camera ? options.camera : { bounds: options.bounds ?? undefined }),
      locale: options.locale,
      fitBoundsOptions: { padding: 24 },
      maxZoom: 19,
      attributionControl: { compact: true },
      // Shift-drag picks the cells in a box (boxSelect) instead of zooming to it.
      boxZoom: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    const sketch = (testId: string, software = false) =>
      new SketchCanvas(this.map.getContainer(), this.map.getCanvasContainer(), (p) => this.project(p), testId, software);
    this.dragPreview = sketch('drag-preview');
    this.drawSession = new DrawSession(this.map, sketch('draw-sketch'));
    this.poster = new CellsPoster(sketch('cells-poster', true), () => this.map.getZoom());
    this.map.on('move', () => {
      if (this.poster.active) this.poster.redraw();
    });
    // The first frame drawn with the cells' tiles loaded has the cells: the poster steps aside.
    this.map.on('render', () => {
      if (this.poster.active && this.cellsOnSource && this.map.isSourceLoaded(SHAPE_SOURCES.cells)) {
        this.poster.finish();
        this.loadDeck();
      }
    });
    this.map.on('load', () => {
      this.shownShapes = this.model?.shapes ?? NO_SHAPES;
      this.shownRings = this.model?.vertexRings ?? null;
      addAppLayers(this.map, this.shownShapes, this.handles);
      this.cellsOnSource = Boolean(this.shownShapes.cells);
      this.styleLoaded = true;
      this.styleModel = null;
      this.apply();
    });
    this.map.on('click', (e) => this.handleClick(e));
    this.map.on('mousedown', HANDLES_LAYER, (e) => this.startVertexDrag(e));
    this.map.on('mousedown', (e) => this.startBoxSelect(e));
    this.map.on('mousemove', (e) => this.updateCursor(e));
    this.map.on('zoomend', () => options.onZoom(this.map.getZoom()));
    this.map.on('idle', () => this.loadDeck());
    this.map.on('idle', () => options.onIdle({ cellsDrawn: this.styleLoaded && (this.model?.shapes.cells?.features.length ?? 0) > 0 }));
    this.map.on('error', (e) => options.onError(e.error?.message ?? String(e)));
  }

  /** Draws a new render model: what changed since the last one goes to the map, deck.gl and the poster. */
  update(model: RenderModel): void {
    const previous = this.model;
    this.model = model;
    if (model.shapes.cells && model.shapes.cells !== previous?.shapes.cells) {
      this.poster.setCells(model.shapes.cells);
      if (!this.cellsShown) {
        this.cellsShown = true;
        // After the frame that shows them.
        requestAnimationFrame(() => setTimeout(() => this.options.onCellsShown?.(), 0));
      }
    }
    if (model.vertexRings !== previous?.vertexRings) this.handles = handleFeatures(model.vertexRings);
    if (model.picking !== (previous?.picking ?? false)) {
      // Editing may draw soon: terra-draw loads now rather than at the first click of a tool.
      if (model.picking) void this.drawSession.tool();
    }
    this.apply();
  }

  private apply(): void {
    const model = this.model;
    if (!model) return;
    if (this.styleLoaded) {
      for (const key of Object.keys(SHAPE_SOURCES) as (keyof MapShapes)[]) {
        if (model.shapes[key] === this.shownShapes[key]) continue;
        // Cells and communities not there yet (null) leave what the source has.
        if (!model.shapes[key] && (key === 'cells' || key === 'communities')) continue;
        setSourceData(this.map, SHAPE_SOURCES[key], model.shapes[key]);
        if (key === 'cells') this.cellsOnSource = true;
      }
      this.shownShapes = model.shapes;
      if (model.vertexRings !== this.shownRings) {
        setSourceData(this.map, HANDLES_SOURCE, this.handles);
        this.shownRings = model.vertexRings;
      }
      applyLayerState(this.map, model, this.styleModel);
      this.styleModel = model;
    }
    this.poster.setView(model.cells.visible, model.cells.selectedCodes);
    if (this.deck) this.deck.update(model);
    else if (model.points.length > 0 || model.heat) this.loadDeck();
  }

  /**
   * Shows the shapes a dragged handle is moving (blue dashes, handles at `handles`) without
   * redrawing the map; null clears. The map must stand still while they show.
   */
  setDragPreview(shapes: readonly (Polygon | MultiPolygon)[] | null, handles: readonly LngLat[] = []): void {
    this.dragPreview.draw(
      shapes && [
        ...shapes.map((geometry) => ({ geometry, fill: '#2f6fde', fillOpacity: 0.18, stroke: '#2f6fde', width: 2, dash: [4, 2] })),
        ...handles.map((p) => ({
          geometry: { type: 'Point' as const, coordinates: [p[0], p[1]] },
          radius: 5,
          fill: '#ffffff',
          stroke: '#2f6fde',
          width: 2,
        })),
      ],
    );
  }

  /** Lets the user draw a line (Enter or a click on the last point ends it, Escape cancels); null when cancelled. */
  drawLine(): Promise<LineString | null> {
    return this.drawSession.shape('linestring', null) as Promise<LineString | null>;
  }

  /**
   * Lets the user draw a polygon (a click on the first corner closes it, Escape cancels), each
   * corner through `snap` (display coordinates; null: no snap), which may still be on its way;
   * null when cancelled.
   */
  drawPolygon(snap: Snapper | null | Promise<Snapper | null>): Promise<Polygon | null> {
    return this.drawSession.shape('polygon', snap) as Promise<Polygon | null>;
  }

  /** Whether the drawing tool takes clicks now (for tests). */
  get drawReady(): boolean {
    return this.drawSession.ready;
  }

  /** Stops a shape being drawn; its promise resolves with null. */
  cancelDraw(): void {
    this.drawSession.cancel();
  }

  /** Road lines of the built-in basemap (for snapping), or none with another basemap. */
  async roadLines(): Promise<(LineString | MultiLineString)[]> {
    const source = this.map.getSource('roads') as GeoJSONSource | undefined;
    if (source?.type !== 'geojson') return [];
    const data = (await source.getData()) as FeatureCollection;
    return data.features
      .map((f) => f.geometry)
      .filter((g): g is LineString | MultiLineString => g?.type === 'LineString' || g?.type === 'MultiLineString');
  }

  /**
   * Lets the user drop a pin: resolves with the next click's position (in the map's display
   * coordinates), or null on Escape. Clicks do not select while a pin is being dropped.
   */
  pickLngLat(): Promise<LngLat | null> {
    this.pinning?.(null);
    this.map.getCanvas().style.cursor = 'crosshair';
    return new Promise((resolve) => {
      const onKey = (e: KeyboardEvent) => {
        if (e.key === 'Escape') finish(null);
      };
      const finish = (lngLat: LngLat | null) => {
        window.removeEventListener('keydown', onKey);
        this.pinning = null;
        this.map.getCanvas().style.cursor = '';
        resolve(lngLat);
      };
      this.pinning = finish;
      window.addEventListener('keydown', onKey);
    });
  }

  private startVertexDrag(e: maplibregl.MapLayerMouseEvent): void {
    const feature = e.features?.[0];
    if (feature?.geometry.type !== 'Point' || this.drawSession.drawing) return;
    // Keep the map still while the handle moves.
    e.preventDefault();
    const from = handleAt(this.handles, feature.geometry.coordinates as LngLat);
    if (!from) return;
    // The handle moves as far as the pointer moves from where it was pressed (a press a few pixels
    // off the handle does not make it jump, and a click without moving moves nothing).
    const press = e.lngLat;
    const to = (at: maplibregl.LngLat): LngLat[] => from.map((p) => [p[0] + at.lng - press.lng, p[1] + at.lat - press.lat]);
    const canvas = this.map.getCanvas();
    canvas.style.cursor = 'grabbing';
    this.dragging = true;
    const onMove = (ev: MapMouseEvent) => this.options.onVertexDrag?.(from, to(ev.lngLat), false);
    const onUp = (ev: MapMouseEvent) => {
      this.map.off('mousemove', onMove);
      this.dragging = false;
      canvas.style.cursor = '';
      this.justDragged = true;
      setTimeout(() => {
        this.justDragged = false;
      }, 0);
      this.options.onVertexDrag?.(from, to(ev.lngLat), true);
    };
    this.map.on('mousemove', onMove);
    this.map.once('mouseup', onUp);
  }

  /** Whether the cells are drawn by the map itself (not, or no longer, by the poster). */
  get cellsOnMap(): boolean {
    return !this.poster.active;
  }

  /** Returns where the map looks, so that a rebuilt map can continue from there. */
  camera(): { center: LngLat; zoom: number; bearing: number } {
    const c = this.map.getCenter();
    return { center: [c.lng, c.lat], zoom: this.map.getZoom(), bearing: this.map.getBearing() };
  }

  /**
   * Shows a box (display coordinates): at once, or flying there over `durationMs`; `padding` in
   * CSS pixels keeps room for what covers the map; `maxZoom` bounds a small or empty box.
   */
  fitBounds(
    bbox: BBox,
    options: {
      durationMs?: number;
      padding?: number | { top: number; right: number; bottom: number; left: number };
      maxZoom?: number;
    } = {},
  ): void {
    // An option given as undefined would replace MapLibre's default (a NaN camera): only those set.
    this.map.fitBounds(bbox, {
      padding: options.padding ?? 24,
      duration: options.durationMs ?? 0,
      ...(options.maxZoom === undefined ? {} : { maxZoom: options.maxZoom }),
    });
  }

  /** Moves the map to a position and zoom at once (display coordinates). */
  jumpTo(center: LngLat, zoom: number): void {
    this.map.jumpTo({ center, zoom });
  }

  /** Returns the screen position (CSS pixels, relative to the map container) of a coordinate. */
  project(lngLat: LngLat): [number, number] {
    const p = this.map.project(lngLat);
    return [p.x, p.y];
  }

  /** The map's canvas (to record it). */
  canvas(): HTMLCanvasElement {
    return this.map.getCanvas();
  }

  /** Where the map looks: its zoom and the box in view (display coordinates). */
  view(): { zoom: number; bounds: BBox } {
    const b = this.map.getBounds();
    return { zoom: this.map.getZoom(), bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
  }

  /** Whether the map stands still with everything it was given drawn. */
  get settled(): boolean {
    return this.map.loaded() && !this.map.isMoving();
  }

  /** How many cases deck.gl holds for drawing and picking (0 before deck.gl is loaded; for tests). */
  get casesOnMap(): number {
    return this.deck?.casesShown ?? 0;
  }

  /** How many places the map rings as just happened (the live view's new events and cases). */
  get highlightsOnMap(): number {
    return this.deck?.highlightsShown ?? 0;
  }

  /** How many features a source of the map holds now (for tests). */
  async sourceFeatures(source: string): Promise<number> {
    const s = this.map.getSource(source) as { getData?: () => Promise<{ features?: unknown[] }> } | undefined;
    return (await s?.getData?.())?.features?.length ?? 0;
  }

  /**
   * Loads deck.gl (a large module) once the map has drawn its first frames with the cells, or as
   * soon as the model has points or a heat raster to draw; then draws the model with it.
   */
  private loadDeck(): void {
    if (this.deck || this.deckLoading) return;
    this.deckLoading = true;
    void import('./deck-overlay').then(({ DeckOverlay }) => {
      if (this.destroyed) return;
      this.deck = new DeckOverlay(this.map);
      if (this.model) this.deck.update(this.model);
    });
  }

  /** Whether deck.gl's overlay is there (points and labels can be drawn and picked). */
  get deckReady(): boolean {
    return this.deck !== null;
  }

  destroy(): void {
    this.destroyed = true;
    this.drawSession.stop();
    this.map.remove();
  }

  /**
   * Shift-drag outside editing draws a box and picks the cells it touches; a shift-click without
   * moving stays a click (it picks the one cell). The map does not pan meanwhile.
   */
  private startBoxSelect(e: MapMouseEvent): void {
    const picking = this.model?.picking ?? false;
    if (!e.originalEvent.shiftKey || e.originalEvent.button !== 0 || picking || this.pinning || this.drawSession.drawing) return;
    if (!this.styleLoaded || this.poster.active || !this.options.onBoxSelect) return;
    e.preventDefault();
    const start = e.point;
    const container = this.map.getContainer();
    const box = document.createElement('div');
    box.className = 'box-select';
    box.dataset.testid = 'box-select';
    let end = start;
    const onMove = (ev: MapMouseEvent) => {
      end = ev.point;
      if (!box.parentElement) container.appendChild(box);
      box.style.left = `${Math.min(start.x, end.x)}px`;
      box.style.top = `${Math.min(start.y, end.y)}px`;
      box.style.width = `${Math.abs(end.x - start.x)}px`;
      box.style.height = `${Math.abs(end.y - start.y)}px`;
    };
    const onUp = () => {
      this.map.off('mousemove', onMove);
      box.remove();
      if (Math.abs(end.x - start.x) < 4 && Math.abs(end.y - start.y) < 4) return;
      this.justDragged = true;
      setTimeout(() => {
        this.justDragged = false;
      }, 0);
      const features = this.map.queryRenderedFeatures(
        [
          [Math.min(start.x, end.x), Math.min(start.y, end.y)],
          [Math.max(start.x, end.x), Math.max(start.y, end.y)],
        ],
        { layers: [CELLS_FILL_LAYER] },
      );
      const codes = [...new Set(features.map((f) => f.properties?.code as CellCode | undefined).filter((c): c is CellCode => !!c))];
      if (codes.length > 0) this.options.onBoxSelect?.(codes);
    };
    this.map.on('mousemove', onMove);
    this.map.once('mouseup', onUp);
  }

  private handleClick(e: MapMouseEvent): void {
    if (this.pinning) {
      this.pinning([e.lngLat.lng, e.lngLat.lat]);
      return;
    }
    if (this.drawSession.drawing || this.justDragged) return;
    const modifiers = { additive: e.originalEvent.shiftKey };
    const picking = this.model?.picking ?? false;
    // Shift picks cells, whatever is drawn over them.
    const point = picking || modifiers.additive ? null : (this.deck?.pickPoint(e.point.x, e.point.y) ?? null);
    if (point) {
      this.options.onSelect(point, modifiers);
      return;
    }
    // Until the map draws the cells, the poster answers for them.
    const features = this.styleLoaded && !this.poster.active ? this.map.queryRenderedFeatures(e.point, { layers: [CELLS_FILL_LAYER] }) : [];
    const code = (this.poster.active ? this.poster.cellAt([e.lngLat.lng, e.lngLat.lat]) : features[0]?.properties?.code) as
      | CellCode
      | undefined
      | null;
    this.options.onSelect(code ? { type: 'cell', code } : null, modifiers);
  }

  private updateCursor(e: MapMouseEvent): void {
    // A dragged handle keeps its 'grabbing' cursor, the drawing tool terra-draw's (and neither
    // asks the map what is under the pointer).
    if (this.pinning || this.dragging || this.drawSession.drawing) return;
    if (this.styleLoaded && this.map.queryRenderedFeatures(e.point, { layers: [HANDLES_LAYER] }).length > 0) {
      this.map.getCanvas().style.cursor = 'grab';
      return;
    }
    const overCell = this.poster.active
      ? this.poster.cellAt([e.lngLat.lng, e.lngLat.lat]) !== null
      : this.styleLoaded && this.map.queryRenderedFeatures(e.point, { layers: [CELLS_FILL_LAYER] }).length > 0;
    const picking = this.model?.picking ?? false;
    this.map.getCanvas().style.cursor = overCell || (!picking && this.deck?.pickPoint(e.point.x, e.point.y)) ? 'pointer' : '';
  }
}
