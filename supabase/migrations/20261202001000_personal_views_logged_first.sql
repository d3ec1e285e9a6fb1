-- Purpose: the log of personal-data views could be undone by its reader (issue 22). The log row
--          was written in the reader's own transaction, so a savepoint rolled back after the read
--          (or an error raised on purpose, e.g. casting the ID number to an integer, which also
--          put it into the error text) kept the data and dropped the log.
--          Now the view is logged first, in a transaction of its own that has committed:
--          log_personal_view() writes the row and returns; person_personal() gives full fields
--          only when a committed row of that viewer for that person, from another transaction
--          and of the last two minutes, exists. Nothing the reader does afterwards can take the
--          row back. A log row may be written without a read following it (the viewer asked to
--          see); a read never happens without a log row.
-- Tables: personal_data_views (new column txid: the writing transaction).
-- Functions: log_personal_view (new, SECURITY DEFINER); person_personal (replaced: same result
--            for command, planners and others; admins and workers of the person's cell need the
--            committed log row and no longer write it themselves).
-- Destructive: none.

alter table personal_data_views add column txid bigint;
comment on column personal_data_views.txid is
  'The transaction that wrote the row: person_personal() accepts only rows of another, committed transaction.';

create function log_personal_view(p_entity_id uuid) returns bigint
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  cell text;
  logged bigint;
begin
  select e.cell_code into cell from entities e where e.id = p_entity_id and e.kind = 'person';
  if not found or not exists (select 1 from person_private p where p.entity_id = p_entity_id) then
    return null;
  end if;
  if not (role = 'admin' or (role = 'worker' and is_own_cell(cell))) then
    return null;
  end if;
  insert into personal_data_views (viewer, viewer_role, entity_id, txid)
  values (auth.uid(), role, p_entity_id, txid_current())
  returning id into logged;
  return logged;
end
$$;
comment on function log_personal_view(uuid) is
  'Logs that the caller is about to see a person''s full personal fields (admins; grid workers for people in their own cells) and returns the log row''s id; null when the caller would not see them in full. Must commit before person_personal() gives the fields.';
revoke all on function log_personal_view(uuid) from public, anon;
grant execute on function log_personal_view(uuid) to authenticated, service_role;

create or replace function person_personal(p_entity_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  p person_private%rowtype;
  cell text;
begin
  select e.cell_code into cell from entities e where e.id = p_entity_id and e.kind = 'person';
  if not found then
    return null;
  end if;
  select * into p from person_private where entity_id = p_entity_id;
  if not found then
    return null;
  end if;
  if role = 'admin' or (role = 'worker' and is_own_cell(cell)) then
    -- A row this transaction wrote (in a savepoint or not) could still be rolled back by the
    -- reader; only a row of another transaction, which is visible only once committed, counts.
    if not exists (
      select 1 from personal_data_views v
      where v.viewer = auth.uid() and v.entity_id = p_entity_id
        and v.viewed_at > now() - interval '2 minutes'
        and v.txid is distinct from txid_current_if_assigned()
    ) then
      raise exception using errcode = '42501',
        message = 'personal fields are given only after the view has been logged',
        hint = 'call log_personal_view(id) in a transaction of its own first; it must commit before this read';
    end if;
    return jsonb_build_object('idCardNumber', p.id_card_number, 'phone', p.phone, 'address', p.address, 'masked', false);
  elsif role = 'command' then
    return jsonb_build_object('idCardNumber', mask_id_card(p.id_card_number), 'phone', mask_phone(p.phone),
                              'address', mask_address(p.address), 'masked', true);
  end if;
  return null;
end
$$;
comment on function person_personal(uuid) is
  'A person''s ID card number, phone and address as the caller may see them: in full for admins and for the grid worker of the person''s cell once log_personal_view() has committed a log row for it (else an error), masked for the command centre, null for everyone else. Security definer: person_private is not readable directly.';
