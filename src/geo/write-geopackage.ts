/** The WKT of WGS-84 as GeoPackage's gpkg_spatial_ref_sys carries it (OGC 12-128r18, table 21). */
const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

/** A table or column name as SQLite quotes it. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A feature table as a GeoPackage holds it. */
export interface GeoPackageLayer {
  tableName: string;
  geometryType: 'POINT' | 'MULTIPOLYGON';
  /** Columns besides the geometry, in order. */
  columns: string[];
  /** Each feature's geometry as WKB (little-endian, longitude first). */
  geometries: Uint8Array[];
  /** values[i][k]: the k-th column of the i-th feature. */
  values: (string | number | boolean | null)[][];
  /** [west, south, east, north] of every geometry; null when there are none. */
  bounds: [number, number, number, number] | null;
}

/** Returns the WKB of a point (little-endian). */
export function pointWkb(x: number, y: number): Uint8Array {
  const bytes = new Uint8Array(21);
  const view = new DataView(bytes.buffer);
  bytes[0] = 1;
  view.setUint32(1, 1, true);
  view.setFloat64(5, x, true);
  view.setFloat64(13, y, true);
  return bytes;
}

/** Returns the WKB of a multipolygon (little-endian): polygons of rings of [x, y]. */
export function multiPolygonWkb(polygons: readonly (readonly (readonly (readonly number[])[])[])[]): Uint8Array {
  let length = 9;
  for (const rings of polygons) {
    length += 9;
    for (const ring of rings) length += 4 + 16 * ring.length;
  }
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  let o = 0;
  const header = (type: number, count: number) => {
    bytes[o] = 1;
    view.setUint32(o + 1, type, true);
    view.setUint32(o + 5, count, true);
    o += 9;
  };
  header(6, polygons.length);
  for (const rings of polygons) {
    header(3, rings.length);
    for (const ring of rings) {
      view.setUint32(o, ring.length, true);
      o += 4;
      for (const p of ring) {
        view.setFloat64(o, p[0] as number, true);
        view.setFloat64(o + 8, p[1] as number, true);
        o += 16;
      }
    }
  }
  return bytes;
}

/** A GeoPackage geometry: the "GP" header (version 1, little-endian, no envelope, SRS 4326) and the WKB. */
function geometryBlob(wkb: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8 + wkb.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x47; // G
  bytes[1] = 0x50; // P
  bytes[2] = 0; // version 1
  bytes[3] = 0x01; // flags: little-endian, no envelope, not empty
  view.setInt32(4, 4326, true);
  bytes.set(wkb, 8);
  return bytes;
}

/**
 * Returns a GeoPackage (OGC 12-128r18, version 1.3) of one feature table in EPSG:4326: whole
 * numbers INTEGER, other numbers REAL, the rest TEXT (booleans 0/1), written with SQLite compiled
 * to WebAssembly (sql.js, loaded on first use).
 * @example await writeGeoPackage({ tableName: 'events', geometryType: 'POINT', columns: ['id'], geometries: [pointWkb(112.9, 28.2)], values: [['E1']], bounds: [112.9, 28.2, 112.9, 28.2] })
 */
export async function writeGeoPackage(layer: GeoPackageLayer): Promise<Uint8Array> {
  const { default: initSqlJs } = await import('sql.js/dist/sql-wasm-inline.js');
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    const types = layer.columns.map((_, k) => {
      let type: 'INTEGER' | 'REAL' | 'TEXT' | null = null;
      for (const row of layer.values) {
        const v = row[k];
        if (v === null || v === undefined) continue;
        const t = typeof v === 'boolean' ? 'INTEGER' : typeof v === 'number' ? (Number.isInteger(v) ? 'INTEGER' : 'REAL') : 'TEXT';
        type = type === null || type === t ? t : type === 'TEXT' || t === 'TEXT' ? 'TEXT' : 'REAL';
      }
      return type ?? 'TEXT';
    });
    db.run(`PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));`);
    db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)', [
      'WGS 84 geodetic',
      4326,
      'EPSG',
      4326,
      WGS84_WKT,
      'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
      'Undefined cartesian SRS',
      -1,
      'NONE',
      -1,
      'undefined',
      'undefined cartesian coordinate reference system',
      'Undefined geographic SRS',
      0,
      'NONE',
      0,
      'undefined',
      'undefined geographic coordinate reference system',
    ]);
    const table = quoted(layer.tableName);
    db.run(
      `CREATE TABLE ${table} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${layer.geometryType}${layer.columns
        .map((c, k) => `, ${quoted(c)} ${types[k]}`)
        .join('')})`,
    );
    db.run(
      'INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, 4326)',
      [layer.tableName, 'features', layer.tableName, ...(layer.bounds ?? [null, null, null, null])],
    );
    db.run("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)", [layer.tableName, layer.geometryType]);
    const insert = db.prepare(
      `INSERT INTO ${table} (geom${layer.columns.map((c) => `, ${quoted(c)}`).join('')}) VALUES (?${layer.columns.map(() => ', ?').join('')})`,
    );
    db.run('BEGIN');
    layer.geometries.forEach((wkb, i) => {
      insert.run([geometryBlob(wkb), ...(layer.values[i] ?? []).map((v) => (typeof v === 'boolean' ? Number(v) : v))]);
    });
    db.run('COMMIT');
    insert.free();
    return db.export();
  } finally {
    db.close();
  }
}
