/** A brand that makes structurally equal strings distinct types. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** 15-digit unit grid cell code: 12-digit community code + 3-digit sequence. */
export type CellCode = Brand<string, 'CellCode'>;
/** 12-digit statistical division code of a community. */
export type CommunityCode = Brand<string, 'CommunityCode'>;
/** Database id of an entity (uuid). */
export type EntityId = Brand<string, 'EntityId'>;
/** Database id of an event (uuid). */
export type EventId = Brand<string, 'EventId'>;

/** `[lng, lat]` in EPSG:4326. */
export type LngLat = [number, number];
/** `[west, south, east, north]` in EPSG:4326. */
export type BBox = [number, number, number, number];

/** Kinds of managed entity (人、地、物、组织); events (事) live in their own table. */
export const ENTITY_KINDS = ['person', 'place', 'thing', 'organisation'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Every kind of point layer on the map: the four entity kinds and events. */
export const POINT_KINDS = [...ENTITY_KINDS, 'event'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

/** Application roles; `anon` sees nothing. */
export const APP_ROLES = ['admin', 'command', 'worker', 'planner', 'department'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export const CELL_CLASSES = ['A', 'B', 'C'] as const;
export type CellClass = (typeof CELL_CLASSES)[number];
