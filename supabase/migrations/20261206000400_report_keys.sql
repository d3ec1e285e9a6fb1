-- Purpose: a report sent twice is one case (issue 24, weak networks). The reporting page makes a
--          key for each report; report_case and report_complaint take it, and a member sending a
--          report again with a key of theirs already used (the answer to the first send was lost,
--          or the phone sends what it kept offline) gets the case the first send made, with
--          "repeated": true, instead of a second case.
-- Tables: cases (client_key, new column, unique per reporting member).
-- Functions: report_case, report_complaint (replaced with p_key; the former ones are kept under
--            new names, internal).
-- Destructive: none.
alter table cases add column client_key uuid;
comment on column cases.client_key is
  'The key the reporting page made for this report: the same member sending it again with the key gets this case, not a second one.';
create unique index cases_client_key_idx on cases (reported_by, client_key) where client_key is not null;

alter function report_case(text, text, integer, text, double precision, double precision, uuid, jsonb) rename to report_case_unkeyed;
alter function report_complaint(text, text, integer, text, double precision, double precision, text, text, jsonb)
  rename to report_complaint_unkeyed;
revoke all on function report_case_unkeyed(text, text, integer, text, double precision, double precision, uuid, jsonb)
  from public, anon, authenticated;
revoke all on function report_complaint_unkeyed(text, text, integer, text, double precision, double precision, text, text, jsonb)
  from public, anon, authenticated;
comment on function report_case_unkeyed(text, text, integer, text, double precision, double precision, uuid, jsonb) is
  'Internal to report_case: reports a case with its photos, without a client key.';
comment on function report_complaint_unkeyed(text, text, integer, text, double precision, double precision, text, text, jsonb) is
  'Internal to report_complaint: reports a complaint with its photos, without a client key.';

-- The case a member already reported with a key, as report_case answers (with "repeated"), or null.
create function reported_with_key(p_key uuid) returns jsonb
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('id', c.id, 'code', c.code, 'state', c.state, 'cellCode', c.cell_code, 'version', c.version,
                            'deadlineAt', c.deadline_at, 'proposedDepartmentId', c.proposed_department_id, 'repeated', true)
  from cases c where c.reported_by = auth.uid() and c.client_key = p_key
$$;
comment on function reported_with_key(uuid) is
  'Internal to report_case and report_complaint: the case the calling member reported with this client key, as report_case answers it with "repeated": true; null when there is none.';
revoke all on function reported_with_key(uuid) from public, anon, authenticated;

create function report_case(p_source text, p_category text, p_severity integer, p_description text, p_lon double precision,
                            p_lat double precision, p_event_id uuid default null, p_photos jsonb default '[]',
                            p_key uuid default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_reported jsonb;
begin
  if p_key is not null then
    -- Two sends of one report at once: the second waits for the first, then finds its case.
    perform pg_advisory_xact_lock(hashtext('report:' || p_key::text));
    v_reported := reported_with_key(p_key);
    if v_reported is not null then
      return v_reported;
    end if;
  end if;
  v_reported := report_case_unkeyed(p_source, p_category, p_severity, p_description, p_lon, p_lat, p_event_id, p_photos);
  if p_key is not null then
    update cases set client_key = p_key where id = (v_reported ->> 'id')::uuid;
  end if;
  return v_reported;
end
$$;
comment on function report_case(text, text, integer, text, double precision, double precision, uuid, jsonb, uuid) is
  'Reports a case at a position (admins and command anywhere, grid workers in their cells), optionally from an event, with up to 6 photos, in one transaction; returns its id, code, state, cell, version, deadline and proposed department. With p_key, the same member sending the report again gets the same case ("repeated": true), never a second one.';
revoke all on function report_case(text, text, integer, text, double precision, double precision, uuid, jsonb, uuid) from public, anon;
grant execute on function report_case(text, text, integer, text, double precision, double precision, uuid, jsonb, uuid)
  to authenticated, service_role;

create function report_complaint(p_source text, p_category text, p_severity integer, p_description text, p_lon double precision,
                                 p_lat double precision, p_name text, p_phone text, p_photos jsonb default '[]',
                                 p_key uuid default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_reported jsonb;
begin
  if p_key is not null then
    perform pg_advisory_xact_lock(hashtext('report:' || p_key::text));
    v_reported := reported_with_key(p_key);
    if v_reported is not null then
      return v_reported;
    end if;
  end if;
  v_reported := report_complaint_unkeyed(p_source, p_category, p_severity, p_description, p_lon, p_lat, p_name, p_phone, p_photos);
  if p_key is not null then
    update cases set client_key = p_key where id = (v_reported ->> 'id')::uuid;
  end if;
  return v_reported;
end
$$;
comment on function report_complaint(text, text, integer, text, double precision, double precision, text, text, jsonb, uuid) is
  'Reports a complaint (source hotline or complaint) as report_case does, with the citizen''s name and phone and up to 6 photos, in one transaction. With p_key, the same member sending it again gets the same case ("repeated": true).';
revoke all on function report_complaint(text, text, integer, text, double precision, double precision, text, text, jsonb, uuid)
  from public, anon;
grant execute on function report_complaint(text, text, integer, text, double precision, double precision, text, text, jsonb, uuid)
  to authenticated, service_role;
