import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson';
import maplibregl, { type GeoJSONSource, type MapMouseEvent, type StyleSpecification } from 'maplibre-gl';
import type { TerraDraw } from 'terra-draw';
import type { BBox, CellCode, LngLat } from '../domain/ids';
import type { AdminAreaProperties, CellProperties } from '../domain/records';
import { CELL_CLASS_COLORS, HEAT_COLORS, PROBLEM_COLOR, SELECTED_CELL_COLOR } from '../state/palettes';
import type { Selection } from '../state/ui-state';
import { CELL_FILL_OPACITY_STOPS, hatchImage, MUTED_CELL_FILL_OPACITY } from './cell-style';
import { CellsPoster } from './cells-poster';
import type { DeckOverlay } from './deck-overlay';
import type { RenderModel } from './render-model';
import { SketchCanvas } from './sketch-canvas';

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
  onZoom(zoom: number): void;
  onError(message: string): void;
  /** Called on every 'idle' of the map with whether the cells are on it. */
  onIdle(state: { cellsDrawn: boolean }): void;
  /**
   * A handle being dragged: a vertex (one position) or the middle of an edge (its two ends, which
   * move together); `from` are the positions before, `to` where they are now; `done` on release.
   */
  onVertexDrag?(from: LngLat[], to: LngLat[], done: boolean): void;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Moves a drawn corner onto a target (display coordinates), or null to leave it. */
type Snapper = (lngLat: LngLat) => LngLat | null;

/**
 * Owns the MapLibre map and the deck.gl overlay (interleaved). The UI hands it plain data and a
 * RenderModel through setCells / setCommunities / update; it never reads UI state itself.
 */
export class MapController {
  readonly map: maplibregl.Map;
  /** The deck.gl overlay (points, heat raster, labels), loaded after the map's first frames. */
  private deck: DeckOverlay | null = null;
  private deckLoading = false;
  private destroyed = false;
  private readonly options: MapControllerOptions;
  private model: RenderModel | null = null;
  private cells: FeatureCollection<MultiPolygon, CellProperties> | null = null;
  private communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null = null;
  private styleLoaded = false;
  private overlayShapes: FeatureCollection = EMPTY;
  private draw: TerraDraw | null = null;
  private drawing = false;
  private vertices: FeatureCollection = EMPTY;
  private justDragged = false;
  private dragging = false;
  private readonly dragPreview: SketchCanvas;
  private readonly drawSketch: SketchCanvas;
  private readonly poster: CellsPoster;
  /** Whether the cells' source holds the cells given (the poster stands in until it has drawn them). */
  private cellsOnSource = false;

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
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    const sketch = (testId: string, software = false) =>
      new SketchCanvas(this.map.getContainer(), this.map.getCanvasContainer(), (p) => this.project(p), testId, software);
    this.dragPreview = sketch('drag-preview');
    this.drawSketch = sketch('draw-sketch');
    this.poster = new CellsPoster(sketch('cells-poster', true), () => this.map.getZoom());
    this.map.on('move', () => {
      if (this.poster.active) this.poster.redraw();
    });
    // The first frame drawn with the cells' tiles loaded has the cells: the poster steps aside.
    this.map.on('render', () => {
      if (this.poster.active && this.cellsOnSource && this.map.isSourceLoaded('app-cells')) {
        this.poster.finish();
        this.loadDeck();
      }
    });
    this.map.on('load', () => {
      this.addAppLayers();
      this.styleLoaded = true;
      this.apply();
    });
    this.map.on('click', (e) => this.handleClick(e));
    this.map.on('mousedown', 'edit-vertices', (e) => this.startVertexDrag(e));
    this.map.on('mousemove', (e) => this.updateCursor(e));
    this.map.on('zoomend', () => options.onZoom(this.map.getZoom()));
    this.map.on('idle', () => this.loadDeck());
    this.map.on('idle', () => options.onIdle({ cellsDrawn: this.styleLoaded && (this.cells?.features.length ?? 0) > 0 }));
    this.map.on('error', (e) => options.onError(e.error?.message ?? String(e)));
  }

  private hotspotShapes: FeatureCollection = EMPTY;
  private bandShapes: FeatureCollection = EMPTY;

  /** Outlines of the density's isobands (features with `band`); empty clears. */
  setIsobands(shapes: FeatureCollection): void {
    this.bandShapes = shapes;
    if (this.styleLoaded) (this.map.getSource('app-isobands') as GeoJSONSource | undefined)?.setData(shapes);
  }

  /** Colours cells by hot spot class or trend (features with a `color` property); empty clears. */
  setHotspots(shapes: FeatureCollection): void {
    this.hotspotShapes = shapes;
    if (this.styleLoaded) (this.map.getSource('app-hotspots') as GeoJSONSource | undefined)?.setData(shapes);
  }

  /**
   * Draws shapes over the cells: validation problems (kind 'problem', purple and hatched), past shapes of a
   * cell from its history (kind 'history', blue dashes), an edit's preview (kind 'preview', green;
   * 'cut': what neighbours keep, amber).
   */
  setOverlay(shapes: FeatureCollection): void {
    this.overlayShapes = shapes;
    if (this.styleLoaded) (this.map.getSource('app-overlay') as GeoJSONSource | undefined)?.setData(shapes);
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

  /**
   * Lets the user draw a line with terra-draw (click to add points, Enter or a click on the last
   * point to finish, Escape to cancel). Resolves with the line, or null when cancelled.
   */
  drawLine(): Promise<LineString | null> {
    return this.drawShape('linestring', null) as Promise<LineString | null>;
  }

  /**
   * Lets the user draw a polygon with terra-draw (click to add corners, a click on the first
   * corner to close it, Escape to cancel). Each corner goes through `snap` (display
   * coordinates in and out; null: no snap), which may still be on its way: until it is, the map
   * is held (clicks neither select nor drag a handle) and the tool is not ready (`drawReady`).
   * Resolves with the polygon, or null when cancelled.
   */
  drawPolygon(snap: Snapper | null | Promise<Snapper | null>): Promise<Polygon | null> {
    return this.drawShape('polygon', snap) as Promise<Polygon | null>;
  }

  private snapper: Snapper | null = null;
  /** Whether the drawing tool takes clicks now (for tests). */
  drawReady = false;

  private drawLoad: Promise<TerraDraw> | null = null;

  /** terra-draw, loaded and started the first time a shape is drawn. */
  private terraDraw(): Promise<TerraDraw> {
    this.drawLoad ??= import('./terra-draw-tools').then(({ createTerraDraw }) => {
      const draw = createTerraDraw(this.map, this.drawSketch, (p) => this.snapper?.(p) ?? null);
      draw.start();
      this.draw = draw;
      return draw;
    });
    return this.drawLoad;
  }

  private async drawShape(mode: 'linestring' | 'polygon', snap: Snapper | null | Promise<Snapper | null>) {
    this.cancelDraw();
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
      [snapper, draw] = await Promise.all([snap, this.terraDraw()]);
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
    this.drawReady = true;
    return new Promise<LineString | Polygon | null>((resolve) => {
      const done = (shape: LineString | Polygon | null) => {
        draw.off('finish', onFinish);
        window.removeEventListener('keydown', onKey);
        this.pendingCancel = null;
        this.snapper = null;
        this.drawReady = false;
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

  /** Road lines of the built-in basemap (for snapping), or none with another basemap. */
  async roadLines(): Promise<(LineString | MultiLineString)[]> {
    const source = this.map.getSource('roads') as GeoJSONSource | undefined;
    if (source?.type !== 'geojson') return [];
    const data = (await source.getData()) as FeatureCollection;
    return data.features
      .map((f) => f.geometry)
      .filter((g): g is LineString | MultiLineString => g?.type === 'LineString' || g?.type === 'MultiLineString');
  }

  private pendingCancel: (() => void) | null = null;
  private pickingCells = false;
  private cellsMuted = false;

  private pinning: ((lngLat: LngLat | null) => void) | null = null;

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

  /** While cells are being picked, shift-click adds a cell instead of starting a box zoom. */
  setPicking(on: boolean): void {
    // Picking cells: points (events on by default) must not take the click.
    this.pickingCells = on;
    if (on) this.map.boxZoom.disable();
    else this.map.boxZoom.enable();
    // Editing may draw soon: terra-draw loads now rather than at the first click of a tool.
    if (on) void this.terraDraw();
  }

  /** Stops a line being drawn; its promise resolves with null. */
  cancelDraw(): void {
    this.pendingCancel?.();
  }

  /**
   * Shows draggable handles on these vertices (the picked cell's) and, smaller, on the middle of
   * each edge between consecutive ones (rings closed), or none.
   */
  setVertices(rings: readonly (readonly LngLat[])[]): void {
    const features: Feature<Point>[] = [];
    for (const ring of rings) {
      ring.forEach((p, i) => {
        features.push({ type: 'Feature', properties: { kind: 'vertex' }, geometry: { type: 'Point', coordinates: [p[0], p[1]] } });
        const q = ring[(i + 1) % ring.length] as LngLat;
        features.push({
          type: 'Feature',
          properties: { kind: 'edge', a: JSON.stringify(p), b: JSON.stringify(q) },
          geometry: { type: 'Point', coordinates: [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2] },
        });
      });
    }
    this.vertices = { type: 'FeatureCollection', features };
    if (this.styleLoaded) (this.map.getSource('app-vertices') as GeoJSONSource | undefined)?.setData(this.vertices);
  }

  private startVertexDrag(e: maplibregl.MapLayerMouseEvent): void {
    const feature = e.features?.[0];
    if (feature?.geometry.type !== 'Point' || this.drawing) return;
    // Keep the map still while the handle moves.
    e.preventDefault();
    // Rendered features carry tile-rounded coordinates: take the exact handle nearest to them.
    const [fx, fy] = feature.geometry.coordinates as LngLat;
    let handle: Feature<Point> | null = null;
    let best = Infinity;
    for (const v of this.vertices.features as Feature<Point>[]) {
      const [vx, vy] = v.geometry.coordinates as LngLat;
      const d = (vx - fx) ** 2 + (vy - fy) ** 2;
      if (d < best) {
        best = d;
        handle = v;
      }
    }
    if (!handle) return;
    const start = handle.geometry.coordinates as LngLat;
    const from: LngLat[] =
      handle.properties?.kind === 'edge' ? [JSON.parse(handle.properties.a) as LngLat, JSON.parse(handle.properties.b) as LngLat] : [start];
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

  /** Replaces the cells drawn on the map. */
  setCells(cells: FeatureCollection<MultiPolygon, CellProperties>): void {
    this.cells = cells;
    this.poster.setCells(cells);
    if (this.styleLoaded) {
      (this.map.getSource('app-cells') as GeoJSONSource | undefined)?.setData(cells);
      this.cellsOnSource = true;
    }
  }

  /** Whether the cells are drawn by the map itself (not, or no longer, by the poster). */
  get cellsOnMap(): boolean {
    return !this.poster.active;
  }

  /** Replaces the community boundaries drawn on the map. */
  setCommunities(communities: FeatureCollection<MultiPolygon, AdminAreaProperties>): void {
    this.communities = communities;
    if (this.styleLoaded) (this.map.getSource('app-communities') as GeoJSONSource | undefined)?.setData(communities);
  }

  /** Draws a new render model. */
  update(model: RenderModel): void {
    this.model = model;
    this.apply();
  }

  /** Returns where the map looks, so that a rebuilt map can continue from there. */
  camera(): { center: LngLat; zoom: number; bearing: number } {
    const c = this.map.getCenter();
    return { center: [c.lng, c.lat], zoom: this.map.getZoom(), bearing: this.map.getBearing() };
  }

  fitBounds(bbox: BBox): void {
    this.map.fitBounds(bbox, { padding: 24, duration: 0 });
  }

  /** Returns the screen position (CSS pixels, relative to the map container) of a coordinate. */
  project(lngLat: LngLat): [number, number] {
    const p = this.map.project(lngLat);
    return [p.x, p.y];
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
    this.cancelDraw();
    this.draw?.stop();
    this.map.remove();
  }

  private addAppLayers(): void {
    const map = this.map;
    map.addSource('app-cells', { type: 'geojson', data: this.cells ?? EMPTY });
    this.cellsOnSource = this.cells !== null;
    map.addSource('app-communities', { type: 'geojson', data: this.communities ?? EMPTY });
    const before = map.getLayer('district-line') ? 'district-line' : undefined;
    // Cells are bounded by streets: their fill goes under the roads so the street network stays
    // readable; their outlines go above.
    const beforeRoads = map.getLayer('roads-casing') ? 'roads-casing' : before;
    map.addLayer(
      {
        id: 'cells-fill',
        type: 'fill',
        source: 'app-cells',
        paint: {
          'fill-color': ['match', ['get', 'class'], 'A', CELL_CLASS_COLORS.A, 'B', CELL_CLASS_COLORS.B, CELL_CLASS_COLORS.C],
          'fill-opacity': ['interpolate', ['linear'], ['zoom'], ...CELL_FILL_OPACITY_STOPS],
        },
      },
      beforeRoads,
    );
    map.addLayer(
      {
        id: 'cells-line',
        type: 'line',
        source: 'app-cells',
        paint: { 'line-color': '#4a4a4a', 'line-opacity': 0.55, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.4, 16, 1.4] },
      },
      before,
    );
    map.addLayer(
      {
        id: 'communities-line',
        type: 'line',
        source: 'app-communities',
        paint: { 'line-color': '#3b2f63', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.2, 16, 2.6] },
      },
      before,
    );
    map.addSource('app-hotspots', { type: 'geojson', data: this.hotspotShapes });
    map.addLayer({
      id: 'hotspots-fill',
      type: 'fill',
      source: 'app-hotspots',
      paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.72 },
    });
    map.addSource('app-isobands', { type: 'geojson', data: this.bandShapes });
    map.addLayer({
      id: 'isobands-line',
      type: 'line',
      source: 'app-isobands',
      paint: {
        'line-color': [
          'match',
          ['get', 'band'],
          ...HEAT_COLORS.flatMap((c, k) => [k, `rgb(${c[0]}, ${c[1]}, ${c[2]})`]),
          '#888',
        ] as unknown as maplibregl.ExpressionSpecification,
        'line-width': 1.6,
      },
    });
    map.addSource('app-overlay', { type: 'geojson', data: this.overlayShapes });
    map.addLayer({
      id: 'overlay-fill',
      type: 'fill',
      source: 'app-overlay',
      filter: ['!=', ['get', 'kind'], 'problem'],
      paint: {
        'fill-color': ['match', ['get', 'kind'], 'history', '#2f6fde', 'preview', '#2e7d32', 'cut', '#f2a900', '#888'],
        'fill-opacity': ['match', ['get', 'kind'], 'history', 0.18, 'preview', 0.35, 'cut', 0.25, 0.4],
      },
    });
    // Topology problems in a colour no class uses, hatched, so that they read over any fill.
    if (!map.hasImage('problem-hatch')) map.addImage('problem-hatch', hatchImage(12, [123, 47, 191]));
    map.addLayer({
      id: 'overlay-problem-fill',
      type: 'fill',
      source: 'app-overlay',
      filter: ['==', ['get', 'kind'], 'problem'],
      paint: { 'fill-pattern': 'problem-hatch' },
    });
    map.addLayer({
      id: 'overlay-line',
      type: 'line',
      source: 'app-overlay',
      paint: {
        'line-color': ['match', ['get', 'kind'], 'history', '#2f6fde', 'preview', '#2e7d32', 'cut', '#b07a00', PROBLEM_COLOR],
        'line-width': ['match', ['get', 'kind'], 'problem', 3, 2.5],
        'line-dasharray': ['match', ['get', 'kind'], 'history', ['literal', [2, 1]], 'problem', ['literal', [3, 1.5]], ['literal', [1, 0]]],
      },
    });
    map.addSource('app-vertices', { type: 'geojson', data: this.vertices });
    map.addLayer({
      id: 'cells-selected',
      type: 'line',
      source: 'app-cells',
      filter: ['==', ['get', 'code'], ''],
      paint: { 'line-color': SELECTED_CELL_COLOR, 'line-width': 3.5 },
    });
    map.addLayer({
      id: 'edit-vertices',
      type: 'circle',
      source: 'app-vertices',
      paint: {
        'circle-radius': ['match', ['get', 'kind'], 'edge', 3.5, 5],
        'circle-color': ['match', ['get', 'kind'], 'edge', '#1d3f8f', '#ffffff'],
        'circle-stroke-color': ['match', ['get', 'kind'], 'edge', '#ffffff', '#1d3f8f'],
        'circle-stroke-width': ['match', ['get', 'kind'], 'edge', 1.5, 2],
      },
    });
  }

  private apply(): void {
    const model = this.model;
    if (!model) return;
    if (this.styleLoaded) {
      const visibility = (on: boolean) => (on ? 'visible' : 'none');
      this.map.setLayoutProperty('cells-fill', 'visibility', visibility(model.cells.visible));
      this.map.setLayoutProperty('cells-line', 'visibility', visibility(model.cells.visible));
      this.map.setLayoutProperty('communities-line', 'visibility', visibility(model.communities.visible));
      this.map.setFilter('cells-selected', ['in', ['get', 'code'], ['literal', model.cells.selectedCodes]]);
      // Under a risk layer the cells step back to their outlines and a trace of their class.
      if (model.cells.muted !== this.cellsMuted) {
        this.cellsMuted = model.cells.muted;
        this.map.setPaintProperty(
          'cells-fill',
          'fill-opacity',
          model.cells.muted ? MUTED_CELL_FILL_OPACITY : ['interpolate', ['linear'], ['zoom'], ...CELL_FILL_OPACITY_STOPS],
        );
      }
    }
    this.poster.setView(model.cells.visible, model.cells.selectedCodes);
    if (this.deck) this.deck.update(model);
    else if (model.points.length > 0 || model.heat) this.loadDeck();
  }

  private handleClick(e: MapMouseEvent): void {
    if (this.pinning) {
      this.pinning([e.lngLat.lng, e.lngLat.lat]);
      return;
    }
    if (this.drawing || this.justDragged) return;
    const modifiers = { additive: e.originalEvent.shiftKey };
    const point = this.pickingCells ? null : (this.deck?.pickPoint(e.point.x, e.point.y) ?? null);
    if (point) {
      this.options.onSelect({ type: 'point', ...point }, modifiers);
      return;
    }
    // Until the map draws the cells, the poster answers for them.
    const features = this.styleLoaded && !this.poster.active ? this.map.queryRenderedFeatures(e.point, { layers: ['cells-fill'] }) : [];
    const code = (this.poster.active ? this.poster.cellAt([e.lngLat.lng, e.lngLat.lat]) : features[0]?.properties?.code) as
      | CellCode
      | undefined
      | null;
    this.options.onSelect(code ? { type: 'cell', code } : null, modifiers);
  }

  private updateCursor(e: MapMouseEvent): void {
    // A dragged handle keeps its 'grabbing' cursor, the drawing tool terra-draw's (and neither
    // asks the map what is under the pointer).
    if (this.pinning || this.dragging || this.drawing) return;
    if (this.styleLoaded && this.map.queryRenderedFeatures(e.point, { layers: ['edit-vertices'] }).length > 0) {
      this.map.getCanvas().style.cursor = 'grab';
      return;
    }
    const overCell = this.poster.active
      ? this.poster.cellAt([e.lngLat.lng, e.lngLat.lat]) !== null
      : this.styleLoaded && this.map.queryRenderedFeatures(e.point, { layers: ['cells-fill'] }).length > 0;
    this.map.getCanvas().style.cursor = overCell || (!this.pickingCells && this.deck?.pickPoint(e.point.x, e.point.y)) ? 'pointer' : '';
  }
}
