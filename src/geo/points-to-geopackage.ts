import { type ChinaCrs, fromWgs84 } from './crs-china';
import type { ExportPoints } from './export-points';

/** The WKT of WGS-84 as GeoPackage's gpkg_spatial_ref_sys carries it (OGC 12-128r18, table 21). */
const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

/** A GeoPackage geometry of a point: the "GP" header (version 0, little-endian, no envelope, SRS 4326) and WKB. */
function geometryBlob(x: number, y: number): Uint8Array {
  const bytes = new Uint8Array(8 + 21);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x47; // G
  bytes[1] = 0x50; // P
  bytes[2] = 0; // version 1
  bytes[3] = 0x01; // flags: little-endian, no envelope, not empty
  view.setInt32(4, 4326, true);
  bytes[8] = 1; // WKB little-endian
  view.setUint32(9, 1, true); // Point
  view.setFloat64(13, x, true);
  view.setFloat64(21, y, true);
  return bytes;
}

/** A table or column name as SQLite quotes it. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Returns the points as a GeoPackage (OGC 12-128r18, version 1.3): one point feature table named
 * `tableName` in EPSG:4326 (positions in `crs`: GCJ-02 and BD-09 are offsets of WGS-84, as in the
 * other formats), the id and every column (whole numbers INTEGER, other numbers REAL, the rest
 * TEXT; booleans 0/1), written with SQLite compiled to WebAssembly (sql.js).
 * @example await pointsToGeoPackage(points, 'wgs84', 'events') // bytes of events.gpkg
 */
export async function pointsToGeoPackage(points: ExportPoints, crs: ChinaCrs, tableName: string): Promise<Uint8Array> {
  const { default: initSqlJs } = await import('sql.js/dist/sql-wasm-inline.js');
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    const types = points.columns.map((_, k) => {
      let type: 'INTEGER' | 'REAL' | 'TEXT' | null = null;
      for (const row of points.values) {
        const v = row[k];
        if (v === null || v === undefined) continue;
        const t = typeof v === 'boolean' ? 'INTEGER' : typeof v === 'number' ? (Number.isInteger(v) ? 'INTEGER' : 'REAL') : 'TEXT';
        type = type === null || type === t ? t : type === 'TEXT' || t === 'TEXT' ? 'TEXT' : 'REAL';
      }
      return type ?? 'TEXT';
    });
    const at = points.lngLats.map((p) => fromWgs84(p, crs));
    let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of at) {
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      ymin = Math.min(ymin, y);
      ymax = Math.max(ymax, y);
    }
    const bounds = at.length > 0 ? [xmin, ymin, xmax, ymax] : [null, null, null, null];
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
    const names = ['id', ...points.columns];
    db.run(
      `CREATE TABLE ${quoted(tableName)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, ${names
        .map((c, k) => `${quoted(c)} ${k === 0 ? 'TEXT' : types[k - 1]}`)
        .join(', ')})`,
    );
    db.run(
      'INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, 4326)',
      [tableName, 'features', tableName, ...bounds],
    );
    db.run("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", [tableName]);
    const insert = db.prepare(
      `INSERT INTO ${quoted(tableName)} (geom, ${names.map(quoted).join(', ')}) VALUES (?, ${names.map(() => '?').join(', ')})`,
    );
    db.run('BEGIN');
    points.ids.forEach((id, i) => {
      const [x, y] = at[i] as [number, number];
      insert.run([geometryBlob(x, y), id, ...(points.values[i] ?? []).map((v) => (typeof v === 'boolean' ? Number(v) : v))]);
    });
    db.run('COMMIT');
    insert.free();
    return db.export();
  } finally {
    db.close();
  }
}
