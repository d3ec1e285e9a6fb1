import type { RpcName } from './rpc';

/** What a committed change touched, as the live views reload it. */
export type ChangeTopic = 'cases' | 'events' | 'entities' | 'grid' | 'alerts' | 'patrols' | 'settings';

/** A change committed by someone (another tab of this browser, or another user in supabase mode). */
export interface DataChange {
  topics: ChangeTopic[];
  /** True when this page made it (it has reloaded what it changed already). */
  own: boolean;
}

/** Listens to the changes committed to the database; returns the function that stops listening. */
export type SubscribeChanges = (listener: (change: DataChange) => void) => () => void;

const CASE_WRITERS: readonly RpcName[] = [
  'report_case',
  'transition_case',
  'blow_whistle',
  'acknowledge_whistle',
  'report_whistle',
  'rate_whistle',
  'open311_post_request',
  'report_complaint',
  'record_complaint_contact',
  'rate_complaint',
];
const GRID_WRITERS: readonly RpcName[] = [
  'split_cell',
  'merge_cells',
  'transfer_cell',
  'move_cell',
  'reshape_cells',
  'draw_cell',
  'import_cells',
  'import_communities',
  'revert_cell_edit',
  'apply_cell_classes',
  'override_cell_class',
  'clear_cell_override',
];

/**
 * Returns what a SQL function that wrote touched: its topics for the live views. An import of
 * events touches events (and so the risk views); of other entities, entities; a cell edit moves
 * entities between cells too. Anything else that wrote is a setting.
 */
export function changeTopics(fn: RpcName, args: Record<string, unknown>): ChangeTopic[] {
  if (CASE_WRITERS.includes(fn)) return ['cases'];
  if (fn === 'import_entities') return args.p_kind === 'event' ? ['events'] : ['entities'];
  if (GRID_WRITERS.includes(fn)) return ['grid'];
  // Reading the alerts raises what the rules say now: a write when something was raised.
  if (fn === 'alerts_now' || fn === 'acknowledge_alert' || fn === 'save_alert_rule') return ['alerts'];
  if (fn === 'start_patrol' || fn === 'add_patrol_positions' || fn === 'end_patrol') return ['patrols'];
  return ['settings'];
}

/** The tables whose rows the live views follow in supabase mode (Realtime), with their topics. */
export const LIVE_TABLES: Readonly<Record<string, ChangeTopic>> = {
  cases: 'cases',
  case_trace: 'cases',
  case_whistles: 'cases',
  whistle_calls: 'cases',
  events: 'events',
  cells: 'grid',
  alerts: 'alerts',
  patrols: 'patrols',
};

/** Name of the BroadcastChannel over which the embedded database tells every tab what it committed. */
export const changeChannelName = (databaseName: string) => `gridatlas-changes:${databaseName}`;
