import type { Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { pmtilesStyle, readPmtiles } from '../../../src/map/pmtiles-style';

/**
 * Returns the bytes of a minimal PMTiles v3 archive (spec: github.com/protomaps/PMTiles,
 * spec/v3/spec.md): the 127-byte header, an empty root directory and JSON metadata, all
 * uncompressed.
 */
function archive(tileType: number, metadata: object): ArrayBuffer {
  const json = new TextEncoder().encode(JSON.stringify(metadata));
  const rootDirectory = new Uint8Array([0]); // varint: zero entries
  const bytes = new Uint8Array(127 + rootDirectory.length + json.length);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('PMTiles'), 0);
  bytes[7] = 3;
  const u64 = (offset: number, value: number) => view.setBigUint64(offset, BigInt(value), true);
  u64(8, 127); // root directory offset
  u64(16, rootDirectory.length);
  u64(24, 127 + rootDirectory.length); // metadata offset
  u64(32, json.length);
  u64(40, 0); // leaf directories
  u64(48, 0);
  u64(56, bytes.length); // tile data
  u64(64, 0);
  bytes[96] = 1; // clustered
  bytes[97] = 1; // internal compression: none
  bytes[98] = 1; // tile compression: none
  bytes[99] = tileType;
  bytes[100] = 0;
  bytes[101] = 14;
  const e7 = (offset: number, degrees: number) => view.setInt32(offset, Math.round(degrees * 1e7), true);
  e7(102, 112.8);
  e7(106, 28.1);
  e7(110, 113.0);
  e7(114, 28.3);
  bytes[118] = 12;
  e7(119, 112.9);
  e7(123, 28.2);
  bytes.set(rootDirectory, 127);
  bytes.set(json, 127 + rootDirectory.length);
  return bytes.buffer;
}

function memorySource(buffer: ArrayBuffer): Source {
  return {
    getKey: () => 'memory.pmtiles',
    getBytes: async (offset, length) => ({ data: buffer.slice(offset, offset + length) }),
  };
}

describe('pmtilesStyle', () => {
  it('draws a vector archive with a fill and a line layer per source layer, water in blue', async () => {
    const { header, metadata } = await readPmtiles(memorySource(archive(1, { vector_layers: [{ id: 'water' }, { id: 'roads' }] })));
    const style = pmtilesStyle('http://localhost/base.pmtiles', header, metadata);
    expect(style.sources.basemap).toEqual({ type: 'vector', url: 'pmtiles://http://localhost/base.pmtiles' });
    expect(style.layers.map((l) => l.id)).toEqual(['background', 'water-fill', 'water-line', 'roads-fill', 'roads-line']);
    expect(style.layers[1]).toMatchObject({ 'source-layer': 'water', paint: { 'fill-color': '#9cc3e4' } });
  });

  it('draws a raster archive as a raster layer', async () => {
    const { header, metadata } = await readPmtiles(memorySource(archive(2, {})));
    expect(header.minLon).toBeCloseTo(112.8, 6);
    const style = pmtilesStyle('http://localhost/img.pmtiles', header, metadata);
    expect(style.sources.basemap).toMatchObject({ type: 'raster', url: 'pmtiles://http://localhost/img.pmtiles' });
    expect(style.layers.map((l) => l.type)).toEqual(['background', 'raster']);
  });
});
