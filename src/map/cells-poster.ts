import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { LngLat } from '../domain/ids';
import type { CellProperties } from '../domain/records';
import { assignPoints } from '../geo/assign-points';
import { buildCellIndex, type CellIndex } from '../geo/spatial-index';
import { CELL_CLASS_COLORS, SELECTED_CELL_COLOR } from '../state/palettes';
import { cellFillOpacity } from './cell-style';
import type { SketchCanvas, SketchItem } from './sketch-canvas';

/**
 * The cells drawn on a 2D canvas, and clickable, until the map draws them itself. A map on a
 * slow or software-rendered GPU takes seconds from its first frame to the first frame with the
 * cells (loading its style, tiling the cells in its worker, compiling shaders); the poster needs
 * only the cells and the map's projection, so the first visit and every reload show and inspect
 * cells at once. The owner calls `finish` when the map has drawn the cells; from then on it does
 * nothing.
 */
export class CellsPoster {
  private cells: FeatureCollection<MultiPolygon, CellProperties> | null = null;
  private index: CellIndex | null = null;
  private visible = true;
  private selected: readonly string[] = [];
  private finished = false;

  constructor(
    private readonly sketch: SketchCanvas,
    private readonly zoom: () => number,
  ) {}

  /** Whether the poster stands in for the map's cells (it has cells and the map has not drawn them). */
  get active(): boolean {
    return !this.finished && (this.cells?.features.length ?? 0) > 0;
  }

  setCells(cells: FeatureCollection<MultiPolygon, CellProperties>): void {
    if (this.finished) return;
    this.cells = cells;
    this.index = null;
    this.redraw();
  }

  /** Shows or hides the cells and outlines the selected ones, as the map's own layers would. */
  setView(visible: boolean, selectedCodes: readonly string[]): void {
    if (this.finished) return;
    this.visible = visible;
    this.selected = selectedCodes;
    this.redraw();
  }

  /** Draws again at the map's current view (after it moved). */
  redraw(): void {
    if (!this.active || !this.visible) {
      this.sketch.draw(null);
      return;
    }
    const fillOpacity = cellFillOpacity(this.zoom());
    const items: SketchItem[] = [];
    const selected = new Set(this.selected);
    for (const f of this.cells?.features ?? []) {
      items.push({
        geometry: f.geometry,
        fill: CELL_CLASS_COLORS[f.properties.class] ?? CELL_CLASS_COLORS.C,
        fillOpacity,
        stroke: '#4a4a4a',
        strokeOpacity: 0.55,
        width: 0.6,
      });
    }
    for (const f of this.cells?.features ?? [])
      if (selected.has(f.properties.code)) items.push({ geometry: f.geometry, stroke: SELECTED_CELL_COLOR, width: 3.5 });
    this.sketch.draw(items);
  }

  /** Returns the code of the cell at `lngLat` (lowest code on a shared border), or null. */
  cellAt(lngLat: LngLat): string | null {
    if (!this.active || !this.cells) return null;
    this.index ??= buildCellIndex(this.cells.features);
    const k = assignPoints(this.index, [lngLat[0]], [lngLat[1]])[0] ?? -1;
    return k >= 0 ? (this.index.codes[k] ?? null) : null;
  }

  /** The map draws the cells now: the poster steps aside for good. */
  finish(): void {
    this.finished = true;
    this.cells = null;
    this.index = null;
    this.sketch.draw(null);
  }
}
