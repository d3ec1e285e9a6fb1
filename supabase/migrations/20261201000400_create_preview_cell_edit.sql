-- Purpose: previewing a grid edit exactly as the database would make it. preview_cell_edit runs
--          split_cell, merge_cells or transfer_cell inside a block that is rolled back at its end
--          (PL/pgSQL keeps the variables read before the rollback), and returns the cells the
--          edit would write: codes (new ones included), areas, households and shapes. Nothing is
--          written; the same checks run, so a preview fails where the edit would.
-- Tables: none written (cells and cell_edits are written and rolled back).
-- Destructive: nothing.

-- p_args: split {code, version, line}; merge {cells: [{code, version}], keep}; transfer
-- {code, version, to_code, to_version}.
create function preview_cell_edit(p_operation text, p_args jsonb) returns jsonb
language plpgsql
set search_path = public, extensions
as $$
declare
  result jsonb;
  shapes jsonb;
begin
  if p_operation not in ('split', 'merge', 'transfer') then
    raise exception using errcode = '22023', message = format('cannot preview a %s; preview split, merge or transfer', p_operation);
  end if;
  begin
    if p_operation = 'split' then
      result := split_cell(p_args ->> 'code', (p_args ->> 'version')::integer, p_args -> 'line', 'preview');
    elsif p_operation = 'merge' then
      result := merge_cells(p_args -> 'cells', 'preview', p_args ->> 'keep');
    else
      result := transfer_cell(p_args ->> 'code', (p_args ->> 'version')::integer, p_args ->> 'to_code',
                              (p_args ->> 'to_version')::integer, 'preview');
    end if;
    select jsonb_agg(jsonb_build_object(
             'code', c.code, 'isNew', c.code in (select jsonb_array_elements_text(result -> 'newCodes')),
             'areaSquareMeters', ST_Area(c.geom::geography), 'households', c.households,
             'geometry', ST_AsGeoJSON(c.geom, 9)::jsonb) order by c.code)
      into shapes
      from cells c
      where c.valid_to is null and c.code in (select x ->> 'code' from jsonb_array_elements(result -> 'cells') x);
    -- Undo everything the edit wrote; the variables keep what was read.
    raise exception using errcode = 'GA200';
  exception when sqlstate 'GA200' then
    null;
  end;
  return jsonb_build_object('operation', p_operation, 'cells', coalesce(shapes, '[]'),
                            'newCodes', result -> 'newCodes', 'retiredCodes', result -> 'retiredCodes');
end
$$;

grant execute on function preview_cell_edit(text, jsonb) to authenticated, service_role;
