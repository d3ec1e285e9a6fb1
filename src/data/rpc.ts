import type { FeatureCollection, MultiPolygon } from 'geojson';
import { doorPart, normalizeAddress } from '../domain/address';
import type {
  CaseComplainant,
  CaseDetail,
  CaseList,
  CasePoints,
  CaseSettings,
  CaseState,
  CaseWhistle,
  ComplaintRates,
  Department,
  Open311Request,
  Open311Service,
  Scorecards,
  ZoneCaseFigures,
} from '../domain/cases';
import type { RiskGovernance } from '../domain/governance';
import type { CellCode, CommunityCode, EntityKind, PointKind } from '../domain/ids';
import type { AlertsNow, LiveNow, LiveStreet, MyCell, Patrol } from '../domain/live';
import {
  base64ToBytes,
  bytesToBase64,
  type CasePhoto,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS_PER_STEP,
  type PhotoFile,
  type PhotoMime,
  sniffImageType,
} from '../domain/photos';
import type { MoveInResult, PlatePage, PlateSheetEntry } from '../domain/plates';
import type {
  AdminAreaProperties,
  AdminLevel,
  CellEditResult,
  CellFigures,
  CellProperties,
  GeocodeCandidate,
  ImportResult,
} from '../domain/records';
import type {
  ApplyClassesResult,
  Backend,
  CellClassInputs,
  CellDetail,
  CellEditPreview,
  CellEditSummary,
  CellHistoryEntry,
  ClassChange,
  DistrictOverview,
  EntityImport,
  ExportRow,
  PointDetail,
  RiskMatrixEntry,
  RuleSetVersion,
  SearchHit,
} from './backend';
import { BackendError } from './backend';
import { type PointColumnsJson, toPointColumns } from './rows';

/** SQL functions the app may call; each is defined in supabase/migrations. */
export const RPC_NAMES = [
  'current_member',
  'district_overview',
  'admin_areas_geojson',
  'cells_geojson',
  'cell_detail',
  'points_columns',
  'point_detail',
  'log_personal_view',
  'geocode_address',
  'search_map',
  'import_entities',
  'split_cell',
  'merge_cells',
  'transfer_cell',
  'move_cell',
  'reshape_cells',
  'draw_cell',
  'preview_cell_edit',
  'import_cells',
  'import_communities',
  'revert_cell_edit',
  'cell_history',
  'recent_cell_edits',
  'save_rule_set',
  'list_rule_sets',
  'cell_class_inputs',
  'apply_cell_classes',
  'override_cell_class',
  'clear_cell_override',
  'cell_class_history',
  'risk_matrix_entries',
  'set_risk_matrix_entry',
  'list_cases',
  'case_detail',
  'case_points',
  'report_case',
  'transition_case',
  'list_departments',
  'case_settings',
  'set_case_time_limit',
  'set_work_calendar_day',
  'set_case_route',
  'set_case_working_time',
  'blow_whistle',
  'acknowledge_whistle',
  'report_whistle',
  'rate_whistle',
  'case_whistles',
  'open311_services',
  'open311_requests',
  'open311_request',
  'open311_post_request',
  'report_complaint',
  'log_complainant_view',
  'case_complainant',
  'record_complaint_contact',
  'rate_complaint',
  'complaint_rates',
  'set_complaint_rate_rules',
  'case_scorecards',
  'set_scorecard_rule',
  'case_photos',
  'case_photo_data',
  'case_assignees',
  'live_now',
  'live_streets',
  'my_cells',
  'risk_governance',
  'alerts_now',
  'save_alert_rule',
  'acknowledge_alert',
  'start_patrol',
  'add_patrol_positions',
  'end_patrol',
  'cell_patrols',
  'patrols_under_way',
  'plates_sheet',
  'plate_page',
  'record_move_in',
  'record_move_out',
  'export_points',
  'cell_figures',
  'zone_case_figures',
] as const;
export type RpcName = (typeof RPC_NAMES)[number];

/** Rows sent per import call: small enough for PostgREST's request limit, large enough to be quick. */
const IMPORT_BATCH_ROWS = 1_000;

/** Calls a SQL function by name with named arguments, as the signed-in user (PostgREST style). */
export interface RpcTransport {
  rpc<T>(fn: RpcName, args: Record<string, unknown>): Promise<T>;
  /** Where photos go when the database does not keep their bytes (Supabase Storage); absent, the bytes go with the step. */
  files?: PhotoFiles;
}

/** A file store for case photos, as the signed-in user. */
export interface PhotoFiles {
  /**
   * Uploads a photo into the user's own folder; returns the object's name, or null where there is
   * no store (the bytes then go with the step). With the step's key and the photo's place (from 1)
   * the name is always the same, and an object already there under it is the one to name.
   */
  put(bytes: Uint8Array, mime: PhotoMime, keyed?: { key: string; place: number }): Promise<string | null>;
  get(path: string): Promise<Blob>;
}

/**
 * The photos of a step as the case writers take them: their bytes in base64, or uploaded first.
 * What the database would refuse is refused here first, so that nothing is uploaded for a step
 * that cannot be taken (the database checks again).
 */
async function photoArgs(transport: RpcTransport, photos: readonly PhotoFile[] | undefined, key: string | null | undefined) {
  const list = photos ?? [];
  if (list.length > MAX_PHOTOS_PER_STEP)
    throw new BackendError('invalid', `a step takes at most ${MAX_PHOTOS_PER_STEP} photos, not ${list.length}`);
  list.forEach((p, i) => {
    if (sniffImageType(p.bytes) !== p.mime) throw new BackendError('invalid', `photo ${i + 1}: its bytes are not a ${p.mime} image`);
    if (p.bytes.length > MAX_PHOTO_BYTES) throw new BackendError('invalid', `photo ${i + 1}: it is more than the 2 MB a photo may have`);
  });
  return Promise.all(
    list.map(async (p, i) => {
      const about = { name: p.name, mime: p.mime, width: p.width, height: p.height };
      const path = transport.files ? await transport.files.put(p.bytes, p.mime, key ? { key, place: i + 1 } : undefined) : null;
      return path !== null ? { ...about, path } : { ...about, data: bytesToBase64(p.bytes) };
    }),
  );
}

type Reads = Pick<
  Backend,
  | 'getDistrictOverview'
  | 'listAdminAreas'
  | 'listCells'
  | 'getCellDetail'
  | 'listPoints'
  | 'getPointDetail'
  | 'geocodeAddress'
  | 'search'
  | 'importEntities'
  | 'splitCell'
  | 'mergeCells'
  | 'transferCell'
  | 'moveCell'
  | 'reshapeCells'
  | 'drawCell'
  | 'previewCellEdit'
  | 'importCells'
  | 'importCommunities'
  | 'revertCellEdit'
  | 'getCellHistory'
  | 'listCellEdits'
  | 'saveRuleSet'
  | 'listRuleSets'
  | 'getCellClassInputs'
  | 'applyCellClasses'
  | 'overrideCellClass'
  | 'clearCellOverride'
  | 'getCellClassHistory'
  | 'listRiskMatrix'
  | 'setRiskMatrixEntry'
  | 'listCases'
  | 'getCase'
  | 'listCasePoints'
  | 'reportCase'
  | 'transitionCase'
  | 'getCasePhotos'
  | 'listCaseAssignees'
  | 'getCasePhotoImage'
  | 'listDepartments'
  | 'listCaseWhistles'
  | 'blowWhistle'
  | 'acknowledgeWhistle'
  | 'reportWhistle'
  | 'rateWhistle'
  | 'getCaseSettings'
  | 'setCaseTimeLimit'
  | 'setWorkCalendarDay'
  | 'setCaseRoute'
  | 'setCaseWorkingTime'
  | 'open311Services'
  | 'open311Requests'
  | 'open311Request'
  | 'open311PostRequest'
  | 'reportComplaint'
  | 'getCaseComplainant'
  | 'recordComplaintContact'
  | 'rateComplaint'
  | 'getComplaintRates'
  | 'setComplaintRateRules'
  | 'getScorecards'
  | 'setScorecardRule'
  | 'getLiveNow'
  | 'getLiveStreets'
  | 'getMyCells'
  | 'getRiskGovernance'
  | 'getAlerts'
  | 'saveAlertRule'
  | 'acknowledgeAlert'
  | 'startPatrol'
  | 'addPatrolPositions'
  | 'endPatrol'
  | 'getCellPatrols'
  | 'listPatrolsUnderWay'
  | 'getPlatesSheet'
  | 'getPlatePage'
  | 'recordMoveIn'
  | 'recordMoveOut'
  | 'exportPoints'
  | 'getCellFigures'
  | 'getZoneCaseFigures'
>;

/** Returns the read methods of a Backend, implemented once over any RpcTransport. */
export function rpcReads(transport: RpcTransport): Reads {
  return {
    getDistrictOverview: () => transport.rpc<DistrictOverview>('district_overview', {}),
    listAdminAreas: (level: AdminLevel) =>
      transport.rpc<FeatureCollection<MultiPolygon, AdminAreaProperties>>('admin_areas_geojson', { p_level: level }),
    listCells: () => transport.rpc<FeatureCollection<MultiPolygon, CellProperties>>('cells_geojson', {}),
    getCellDetail: (code: CellCode) => transport.rpc<CellDetail | null>('cell_detail', { p_code: code }),
    listPoints: async (kind: PointKind) => toPointColumns(await transport.rpc<PointColumnsJson>('points_columns', { p_kind: kind })),
    getPointDetail: async (kind: PointKind, id: string) => {
      // A person's full personal fields are given only once the view is logged, in a call
      // (a transaction) of its own that has committed: the reader cannot take the log back.
      if (kind === 'person') await transport.rpc<number | null>('log_personal_view', { p_entity_id: id });
      return transport.rpc<PointDetail | null>('point_detail', { p_kind: kind, p_id: id });
    },
    search: async (query: string, limit = 20) =>
      query.trim() === '' ? [] : transport.rpc<SearchHit[]>('search_map', { p_query: query, p_limit: limit }),
    geocodeAddress: async (query: string, limit = 5) => {
      const normalized = normalizeAddress(query);
      if (normalized === '') return [];
      return transport.rpc<GeocodeCandidate[]>('geocode_address', { p_query: normalized, p_door: doorPart(normalized), p_limit: limit });
    },
    importEntities: async (kind: EntityKind, rows: readonly EntityImport[], onProgress?: (done: number, total: number) => void) => {
      const total: ImportResult = { inserted: 0, updated: 0, unchanged: 0 };
      for (let i = 0; i < rows.length; i += IMPORT_BATCH_ROWS) {
        const batch = rows.slice(i, i + IMPORT_BATCH_ROWS);
        const r = await transport.rpc<ImportResult>('import_entities', { p_kind: kind, p_rows: batch });
        total.inserted += r.inserted;
        total.updated += r.updated;
        total.unchanged += r.unchanged;
        onProgress?.(i + batch.length, rows.length);
      }
      return total;
    },
    splitCell: (cell, line, reason) =>
      transport.rpc<CellEditResult>('split_cell', { p_code: cell.code, p_version: cell.version, p_line: line, p_reason: reason }),
    mergeCells: (cells, reason, keep) =>
      transport.rpc<CellEditResult>('merge_cells', { p_cells: cells, p_reason: reason, p_keep: keep ?? null }),
    transferCell: (cell, to, reason) =>
      transport.rpc<CellEditResult>('transfer_cell', {
        p_code: cell.code,
        p_version: cell.version,
        p_to_code: to.code,
        p_to_version: to.version,
        p_reason: reason,
      }),
    moveCell: (cell, communityCode, reason) =>
      transport.rpc<CellEditResult>('move_cell', {
        p_code: cell.code,
        p_version: cell.version,
        p_community_code: communityCode,
        p_reason: reason,
      }),
    reshapeCells: (cells, reason, options) =>
      transport.rpc<CellEditResult>('reshape_cells', {
        p_cells: cells,
        p_reason: reason,
        p_allow_multipart: options?.allowMultipart ?? false,
        p_mode: options?.mode ?? 'reshape',
      }),
    drawCell: (communityCode, shape, cells, reason, options) =>
      transport.rpc<CellEditResult>('draw_cell', {
        p_community_code: communityCode,
        p_shape: shape,
        p_cells: cells.map((c) => ({ code: c.code, version: c.version })),
        p_reason: reason,
        p_allow_multipart: options?.allowMultipart ?? false,
      }),
    previewCellEdit: (edit) =>
      transport.rpc<CellEditPreview>('preview_cell_edit', {
        p_operation: edit.operation,
        p_args:
          edit.operation === 'split'
            ? { code: edit.cell.code, version: edit.cell.version, line: edit.line }
            : edit.operation === 'merge'
              ? { cells: edit.cells.map((c) => ({ code: c.code, version: c.version })), keep: edit.keep ?? null }
              : { code: edit.cell.code, version: edit.cell.version, to_code: edit.to.code, to_version: edit.to.version },
      }),
    importCells: (rows, expected, reason, options) =>
      transport.rpc<CellEditResult & { communities: CommunityCode[] }>('import_cells', {
        p_cells: rows.map((r) => ({
          row: r.row,
          code: r.code,
          name: r.name,
          community_code: r.communityCode,
          households: r.households,
          geometry: r.geometry,
        })),
        p_expected: expected.map((c) => ({ code: c.code, version: c.version })),
        p_reason: reason,
        p_allow_multipart: options?.allowMultipart ?? false,
      }),
    importCommunities: (rows) =>
      transport.rpc<{ inserted: number; updated: number }>('import_communities', {
        p_areas: rows.map((r) => ({ row: r.row, code: r.code, name: r.name, geometry: r.geometry })),
      }),
    revertCellEdit: (editId, reason) => transport.rpc<CellEditResult>('revert_cell_edit', { p_edit_id: editId, p_reason: reason ?? null }),
    // The SQL functions answer in the Backend's own shapes (camelCase keys), as the reads do.
    getCellHistory: (code) => transport.rpc<CellHistoryEntry[]>('cell_history', { p_code: code }),
    listCellEdits: (limit = 50) => transport.rpc<CellEditSummary[]>('recent_cell_edits', { p_limit: limit }),
    saveRuleSet: (rules) => transport.rpc<{ id: number; name: string; version: number }>('save_rule_set', { p_rules: rules }),
    listRuleSets: () => transport.rpc<RuleSetVersion[]>('list_rule_sets', {}),
    getCellClassInputs: (end, days, halfLifeDays, code) =>
      transport.rpc<CellClassInputs[]>('cell_class_inputs', {
        p_end: end,
        p_days: days,
        p_half_life_days: halfLifeDays,
        p_code: code ?? null,
      }),
    applyCellClasses: (ruleSetId, classes) =>
      transport.rpc<ApplyClassesResult>('apply_cell_classes', { p_rule_set_id: ruleSetId, p_classes: classes }),
    overrideCellClass: async (code, cls, reason) => {
      await transport.rpc('override_cell_class', { p_code: code, p_class: cls, p_reason: reason });
    },
    clearCellOverride: async (code, reason) => {
      await transport.rpc('clear_cell_override', { p_code: code, p_reason: reason });
    },
    getCellClassHistory: (code) => transport.rpc<ClassChange[]>('cell_class_history', { p_code: code }),
    listRiskMatrix: () => transport.rpc<RiskMatrixEntry[]>('risk_matrix_entries', {}),
    setRiskMatrixEntry: async (e) => {
      await transport.rpc('set_risk_matrix_entry', {
        p_category: e.category,
        p_risk: e.risk,
        p_responsibility: e.responsibility,
        p_note: e.note,
      });
    },
    listCases: (filter, limit = 100, offset = 0) =>
      transport.rpc<CaseList>('list_cases', { p_filter: filter, p_limit: limit, p_offset: offset }),
    listCasePoints: () => transport.rpc<CasePoints>('case_points', {}),
    getCase: (id) => transport.rpc<CaseDetail | null>('case_detail', { p_id: id }),
    reportCase: async (r) =>
      transport.rpc<{ id: string; code: string }>('report_case', {
        p_source: r.source,
        p_category: r.category,
        p_severity: r.severity,
        p_description: r.description,
        p_lon: r.lngLat[0],
        p_lat: r.lngLat[1],
        p_event_id: r.eventId ?? null,
        p_photos: await photoArgs(transport, r.photos, r.key),
        p_key: r.key ?? null,
      }),
    transitionCase: async (id, action, options) =>
      transport.rpc<{ state: CaseState; version: number; repeated?: boolean }>('transition_case', {
        p_case: id,
        p_action: action,
        p_note: options?.note ?? '',
        p_department: options?.departmentId ?? null,
        p_expected_version: options?.expectedVersion ?? null,
        p_photos: await photoArgs(transport, options?.photos, options?.key),
        p_key: options?.key ?? null,
      }),
    getCasePhotos: (caseId) => transport.rpc<CasePhoto[]>('case_photos', { p_case: caseId }),
    getCasePhotoImage: async (photo) => {
      if (photo.storagePath !== null) {
        if (!transport.files) throw new BackendError('not_found', `photo ${photo.id} is in a file store this connection does not reach`);
        return transport.files.get(photo.storagePath);
      }
      const data = await transport.rpc<string | null>('case_photo_data', { p_id: photo.id });
      if (data === null) throw new BackendError('not_found', `no photo ${photo.id}`);
      return new Blob([base64ToBytes(data) as Uint8Array<ArrayBuffer>], { type: photo.mime });
    },
    listDepartments: () => transport.rpc<Department[]>('list_departments', {}),
    listCaseAssignees: () => transport.rpc<{ userId: string; name: string }[]>('case_assignees', {}),
    listCaseWhistles: (caseId) => transport.rpc<CaseWhistle[]>('case_whistles', { p_case: caseId }),
    blowWhistle: async (caseId, departmentIds, note, ackHours = 2) => {
      await transport.rpc('blow_whistle', { p_case: caseId, p_departments: departmentIds, p_note: note, p_ack_hours: ackHours });
    },
    acknowledgeWhistle: async (callId) => {
      await transport.rpc('acknowledge_whistle', { p_call: callId });
    },
    reportWhistle: async (callId, report) => {
      await transport.rpc('report_whistle', { p_call: callId, p_report: report });
    },
    rateWhistle: async (callId, rating, note) => {
      await transport.rpc('rate_whistle', { p_call: callId, p_rating: rating, p_note: note });
    },
    getCaseSettings: () => transport.rpc<CaseSettings>('case_settings', {}),
    setCaseTimeLimit: async (l) => {
      await transport.rpc('set_case_time_limit', { p_category: l.category, p_severity: l.severity, p_stage: l.stage, p_hours: l.hours });
    },
    setWorkCalendarDay: async (day, kind, name = '') => {
      await transport.rpc('set_work_calendar_day', { p_day: day, p_kind: kind, p_name: name });
    },
    setCaseRoute: async (category, areaCode, departmentId) => {
      await transport.rpc('set_case_route', { p_category: category, p_area_code: areaCode, p_department: departmentId });
    },
    reportComplaint: async (r, citizen) =>
      transport.rpc<{ id: string; code: string }>('report_complaint', {
        p_source: r.source,
        p_category: r.category,
        p_severity: r.severity,
        p_description: r.description,
        p_lon: r.lngLat[0],
        p_lat: r.lngLat[1],
        p_name: citizen.name,
        p_phone: citizen.phone,
        p_photos: await photoArgs(transport, r.photos, r.key),
        p_key: r.key ?? null,
      }),
    getCaseComplainant: async (caseId) => {
      // As a person's: the full view is logged in a call of its own, committed before the read.
      await transport.rpc<number | null>('log_complainant_view', { p_case: caseId });
      return transport.rpc<CaseComplainant | null>('case_complainant', { p_case: caseId });
    },
    recordComplaintContact: async (caseId, note) => {
      await transport.rpc('record_complaint_contact', { p_case: caseId, p_note: note });
    },
    rateComplaint: (caseId, r) =>
      transport.rpc<{ state: CaseState; version: number }>('rate_complaint', {
        p_case: caseId,
        p_rating: r.rating,
        p_solved: r.solved,
        p_note: r.note,
        p_reopen: r.reopen,
      }),
    getComplaintRates: (group, from, to) => transport.rpc<ComplaintRates>('complaint_rates', { p_group: group, p_from: from, p_to: to }),
    setComplaintRateRules: async (rules) => {
      await transport.rpc('set_complaint_rate_rules', { p_rules: rules });
    },
    getScorecards: (group, from, to) => transport.rpc<Scorecards>('case_scorecards', { p_group: group, p_from: from, p_to: to }),
    getLiveNow: (feedLimit = 30) => transport.rpc<LiveNow>('live_now', { p_feed_limit: feedLimit }),
    getLiveStreets: () => transport.rpc<LiveStreet[]>('live_streets', {}),
    getMyCells: () => transport.rpc<MyCell[]>('my_cells', {}),
    getRiskGovernance: (cellCode, category, days) =>
      transport.rpc<RiskGovernance>('risk_governance', { p_cell: cellCode, p_category: category, p_days: days }),
    getAlerts: (limit = 50) => transport.rpc<AlertsNow>('alerts_now', { p_limit: limit }),
    // bigint: node-postgres gives it as text.
    saveAlertRule: async (rule) => Number(await transport.rpc<number | string>('save_alert_rule', { p_rule: rule })),
    acknowledgeAlert: async (id) => {
      await transport.rpc('acknowledge_alert', { p_id: id });
    },
    startPatrol: (cellCode, key, positions = []) =>
      transport.rpc<Patrol>('start_patrol', { p_cell: cellCode, p_key: key, p_positions: positions }),
    addPatrolPositions: (id, positions) => transport.rpc<Patrol>('add_patrol_positions', { p_patrol: id, p_positions: positions }),
    endPatrol: (id, note, positions = []) => transport.rpc<Patrol>('end_patrol', { p_patrol: id, p_note: note, p_positions: positions }),
    getCellPatrols: (code, limit = 5) => transport.rpc<Patrol[]>('cell_patrols', { p_cell: code, p_limit: limit }),
    listPatrolsUnderWay: () => transport.rpc<Patrol[]>('patrols_under_way', {}),
    getPlatesSheet: (scope) =>
      transport.rpc<PlateSheetEntry[]>('plates_sheet', {
        p_cell: 'cellCode' in scope ? scope.cellCode : null,
        p_community: 'communityCode' in scope ? scope.communityCode : null,
      }),
    exportPoints: (kind, filter, after = null, limit = 10_000) =>
      transport.rpc<ExportRow[]>('export_points', { p_kind: kind, p_filter: filter, p_after: after, p_limit: limit }),
    getCellFigures: (from, to) => transport.rpc<CellFigures[]>('cell_figures', { p_from: from, p_to: to }),
    getZoneCaseFigures: (cells, from, to) =>
      transport.rpc<ZoneCaseFigures>('zone_case_figures', { p_cells: cells ? [...cells] : null, p_from: from, p_to: to }),
    getPlatePage: (code) => transport.rpc<PlatePage | null>('plate_page', { p_code: code }),
    recordMoveIn: (code, m) =>
      transport.rpc<MoveInResult>('record_move_in', {
        p_code: code,
        p_name: m.name,
        p_id_card: m.idCardNumber,
        p_phone: m.phone,
        p_room: m.room,
        p_moved_in_on: m.movedInOn ?? null,
      }),
    recordMoveOut: async (code, personId, movedOutOn) => {
      await transport.rpc('record_move_out', { p_code: code, p_person: personId, p_moved_out_on: movedOutOn ?? null });
    },
    setScorecardRule: async (group, metric, weight) => {
      await transport.rpc('set_scorecard_rule', { p_group: group, p_metric: metric, p_weight: weight });
    },
    open311Services: () => transport.rpc<Open311Service[]>('open311_services', {}),
    open311Requests: (query = {}) => transport.rpc<Open311Request[]>('open311_requests', { p_query: query }),
    open311Request: (id) => transport.rpc<Open311Request[]>('open311_request', { p_id: id }),
    open311PostRequest: (r) =>
      transport.rpc<{ service_request_id: string; service_notice: string; account_id: string | null }[]>('open311_post_request', {
        p_service_code: r.service_code,
        p_lat: r.lat,
        p_long: r.long,
        p_description: r.description ?? '',
      }),
    setCaseWorkingTime: async (w) => {
      await transport.rpc('set_case_working_time', {
        p_time_zone: w.timeZone,
        p_am_start: w.amStart,
        p_am_end: w.amEnd,
        p_pm_start: w.pmStart,
        p_pm_end: w.pmEnd,
      });
    },
  };
}
