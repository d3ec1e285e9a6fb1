import type { StyleSpecification } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import type { BBox, CellCode, LngLat } from '../domain/ids';
import type { Selection } from '../state/ui-state';
import { MapController } from './map-controller';
import type { RenderModel } from './render-model';
import 'maplibre-gl/dist/maplibre-gl.css';

export interface MapViewProps {
  style: StyleSpecification | string;
  initialBounds: BBox | null;
  /** MapLibre UI strings; a new locale rebuilds the map where it was. */
  locale: Record<string, string>;
  fitTo: BBox | null;
  /** Room to keep around `fitTo` for what covers the map then (CSS pixels; 24 when not given). */
  fitPadding?(map: HTMLElement): number | { top: number; right: number; bottom: number; left: number };
  /** All the map shows (one channel): a new map is given the latest model. */
  model: RenderModel;
  onSelect(selection: Selection, modifiers: { additive: boolean }): void;
  /** Shift-drag outside editing: the cells in the box drawn. */
  onBoxSelect?(codes: CellCode[]): void;
  onZoom(zoom: number): void;
  onError(message: string): void;
  onIdle(state: { cellsDrawn: boolean }): void;
  onCellsShown?(): void;
  onVertexDrag?(from: LngLat[], to: LngLat[], done: boolean): void;
  onController?(controller: MapController | null): void;
}

/** Owns the map's <div>; hands everything else to the MapController. */
export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const callbacks = useRef(props);
  callbacks.current = props;
  const lastCamera = useRef<ReturnType<MapController['camera']> | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once per style and language.
  useEffect(() => {
    if (!container.current) return;
    const c = new MapController({
      container: container.current,
      style: props.style,
      bounds: props.initialBounds,
      camera: lastCamera.current,
      locale: props.locale,
      onSelect: (s, m) => callbacks.current.onSelect(s, m),
      onBoxSelect: (codes) => callbacks.current.onBoxSelect?.(codes),
      onZoom: (z) => callbacks.current.onZoom(z),
      onError: (m) => callbacks.current.onError(m),
      onIdle: (s) => callbacks.current.onIdle(s),
      onCellsShown: () => callbacks.current.onCellsShown?.(),
      onVertexDrag: (from, to, done) => callbacks.current.onVertexDrag?.(from, to, done),
    });
    controller.current = c;
    c.update(callbacks.current.model);
    callbacks.current.onController?.(c);
    callbacks.current.onZoom(c.view().zoom);
    return () => {
      lastCamera.current = c.camera();
      callbacks.current.onController?.(null);
      c.destroy();
      controller.current = null;
    };
  }, [props.style, props.locale]);

  useEffect(() => {
    controller.current?.update(props.model);
  }, [props.model]);
  useEffect(() => {
    const map = container.current;
    if (props.fitTo && map) controller.current?.fitBounds(props.fitTo, { padding: callbacks.current.fitPadding?.(map) ?? 24 });
  }, [props.fitTo]);

  return <div ref={container} className="map" data-testid="map" />;
}
