import { describe, expect, it } from 'vitest';
import { changeTopics } from '../../../src/data/live-changes';

describe('changeTopics', () => {
  it('names what a writer touched: cases, events or entities by the import kind, the grid, else settings', () => {
    expect(changeTopics('report_case', {})).toEqual(['cases']);
    expect(changeTopics('acknowledge_whistle', {})).toEqual(['cases']);
    expect(changeTopics('import_entities', { p_kind: 'event' })).toEqual(['events']);
    expect(changeTopics('import_entities', { p_kind: 'person' })).toEqual(['entities']);
    expect(changeTopics('split_cell', {})).toEqual(['grid']);
    expect(changeTopics('apply_cell_classes', {})).toEqual(['grid']);
    expect(changeTopics('acknowledge_alert', {})).toEqual(['alerts']);
    expect(changeTopics('alerts_now', {})).toEqual(['alerts']);
    expect(changeTopics('end_patrol', {})).toEqual(['patrols']);
    expect(changeTopics('set_case_route', {})).toEqual(['settings']);
  });
});
