-- Purpose: administrators' direct table rights bypassed the edit rules (issue 22): an admin could
--          `update cell_edits` (forging who, when and why), `update cells set geom` without a new
--          version, revive a retired cell over its successor, and the log of who saw personal
--          data went with the person it was about.
--   * Cells change only through the functions that keep the rules: the grid edits (already
--     SECURITY DEFINER) and the class functions, which now run as their owner too (each still
--     for grid administrators only). Members keep reading cells under row level security.
--   * The history (cell_edits, cell_class_changes, class_rule_sets, personal_data_views) is
--     append-only for everyone, the owner included: a trigger refuses UPDATE and DELETE (for
--     cell_edits, only the mark that an edit was undone may be set, once, and a merge that gave
--     a whole cell to its neighbour be named a transfer, as transfer_cell does).
--   * personal_data_views keeps its rows when the person is deleted (no foreign key: the log
--     names the id it was about, whatever became of it).
-- Functions: history_is_append_only, cell_edit_only_reverted (new, trigger functions);
--            apply_cell_classes, override_cell_class, clear_cell_override become SECURITY DEFINER.
-- Destructive: drops the policies that let admins write cells and history directly, and the
--              foreign key of personal_data_views.entity_id.

alter function apply_cell_classes(bigint, jsonb) security definer;
alter function override_cell_class(text, text, text) security definer;
alter function clear_cell_override(text, text) security definer;

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'authenticated') then
    revoke insert, update, delete on cells, cell_edits, cell_class_changes, personal_data_views from anon, authenticated;
    revoke update, delete on class_rule_sets from anon, authenticated;
  end if;
end
$$;
drop policy if exists "admins manage cells" on cells;
drop policy if exists "admins write grid history" on cell_edits;
drop policy if exists "admins write class changes" on cell_class_changes;

create function history_is_append_only() returns trigger
language plpgsql
set search_path = public, extensions, pg_temp
as $$
begin
  raise exception using errcode = '42501',
    message = format('%s is a history: its rows are never changed or deleted', tg_table_name);
end
$$;
comment on function history_is_append_only() is
  'Trigger: refuses UPDATE and DELETE on a history table (cell_class_changes, class_rule_sets, personal_data_views), for everyone.';

create function cell_edit_only_reverted() returns trigger
language plpgsql
set search_path = public, extensions, pg_temp
as $$
begin
  if tg_op = 'DELETE' then
    raise exception using errcode = '42501', message = 'cell_edits is a history: its rows are never deleted';
  end if;
  -- transfer_cell merges, then names its edit a transfer.
  if old.operation = 'merge' and new.operation = 'transfer'
     and (to_jsonb(new) - 'operation') = (to_jsonb(old) - 'operation') then
    return new;
  end if;
  if old.reverted_by is not null or new.reverted_by is null
     or (to_jsonb(new) - 'reverted_by') is distinct from (to_jsonb(old) - 'reverted_by') then
    raise exception using errcode = '42501',
      message = 'cell_edits is a history: only the edit that undoes one may be noted on it, once';
  end if;
  return new;
end
$$;
comment on function cell_edit_only_reverted() is
  'Trigger: cell_edits rows are never deleted; the only changes are noting, once, the edit that undid one (reverted_by), and naming a merge a transfer (transfer_cell).';

revoke execute on function history_is_append_only() from public;
revoke execute on function cell_edit_only_reverted() from public;

create trigger cell_edits_append_only before update or delete on cell_edits
  for each row execute function cell_edit_only_reverted();
create trigger cell_class_changes_append_only before update or delete on cell_class_changes
  for each row execute function history_is_append_only();
create trigger class_rule_sets_append_only before update or delete on class_rule_sets
  for each row execute function history_is_append_only();
create trigger personal_data_views_append_only before update or delete on personal_data_views
  for each row execute function history_is_append_only();

alter table personal_data_views drop constraint personal_data_views_entity_id_fkey;
comment on column personal_data_views.entity_id is 'The person whose fields were seen; kept when the person is deleted.';
