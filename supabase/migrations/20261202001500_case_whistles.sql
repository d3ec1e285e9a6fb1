-- Purpose: the whistle (吹哨报到, "the street whistles, departments report", issue 23). The command
--          centre (or a street's administrator) blows the whistle on an open case: several
--          departments are summoned at once; each must acknowledge (报到) within a limit in working
--          hours, then report what it did; the summoning side rates each department's response
--          (1–5, with a note). A call not acknowledged by its deadline (or acknowledged late) is
--          flagged as missed by the database. Calls change only through the functions below.
-- Tables: case_whistles, whistle_calls (new).
-- Functions: member_summoned_to, blow_whistle, whistle_call_for_officer, acknowledge_whistle, report_whistle,
--            rate_whistle, whistle_call_rated_is_final (trigger), case_whistles (new); a policy on cases.
-- Destructive: none.

create table case_whistles (
  id bigint generated always as identity primary key,
  case_id uuid not null references cases (id),
  note text not null check (length(btrim(note)) > 0 and char_length(note) <= 4000),
  blown_by uuid not null,
  blown_by_name text not null default '',
  blown_at timestamptz not null default now()
);
comment on table case_whistles is 'Whistles blown on cases (吹哨): who summoned the departments, when and why; written by blow_whistle only.';
create index case_whistles_case_idx on case_whistles (case_id);
alter table case_whistles enable row level security;
grant select on case_whistles to authenticated;
create policy "who reads the case reads its whistles" on case_whistles for select to authenticated
  using (exists (select 1 from cases c where c.id = case_whistles.case_id));

create table whistle_calls (
  id bigint generated always as identity primary key,
  whistle_id bigint not null references case_whistles (id),
  department_id text not null references departments (id),
  ack_deadline timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by_name text,
  report text check (char_length(report) <= 4000),
  reported_at timestamptz,
  rating smallint check (rating between 1 and 5),
  rating_note text,
  rated_at timestamptz,
  unique (whistle_id, department_id)
);
comment on table whistle_calls is
  'The departments a whistle summons (报到): each acknowledges by its deadline (working hours), reports what it did and is rated 1–5; written by the whistle functions only.';
alter table whistle_calls enable row level security;
grant select on whistle_calls to authenticated;
create policy "who reads the whistle reads its calls" on whistle_calls for select to authenticated
  using (exists (select 1 from case_whistles w where w.id = whistle_calls.whistle_id));

create function member_summoned_to(p_case uuid) returns boolean
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select exists (select 1 from case_whistles w join whistle_calls k on k.whistle_id = w.id
                 where w.case_id = p_case and k.department_id = member_department())
$$;
comment on function member_summoned_to(uuid) is 'Whether a whistle on the case summons the signed-in department officer''s department (a policy of cases asks it; definer, so that the policies of cases and whistles do not call each other).';
revoke all on function member_summoned_to(uuid) from public, anon;
grant execute on function member_summoned_to(uuid) to authenticated, service_role;

-- The department officer summoned reads the case too.
create policy "departments read the cases they are summoned to" on cases for select to authenticated
  using ((select app_role()) = 'department' and member_summoned_to(id));

create function blow_whistle(p_case uuid, p_departments jsonb, p_note text, p_ack_hours numeric default 2) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  c cases%rowtype;
  w case_whistles%rowtype;
  missing text;
  summoned text[] := case when jsonb_typeof(p_departments) = 'array' then array(select jsonb_array_elements_text(p_departments)) end;
begin
  if role not in ('admin', 'command') then
    raise exception using errcode = '42501', message = format('role %s may not blow the whistle', role);
  end if;
  select * into c from cases where id = p_case for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no case %s', p_case);
  end if;
  if c.state in ('closed', 'evaluated', 'rejected') then
    raise exception using errcode = '22023', message = format('case %s is %s: a whistle summons departments to open cases only', c.code, c.state);
  end if;
  if coalesce(cardinality(summoned), 0) = 0 then
    raise exception using errcode = '22023', message = 'a whistle summons at least one department';
  end if;
  select string_agg(d, ', ') into missing from unnest(summoned) d where not exists (select 1 from departments x where x.id = d);
  if missing is not null then
    raise exception using errcode = '22023', message = format('no department %s', missing);
  end if;
  if btrim(coalesce(p_note, '')) = '' then
    raise exception using errcode = '22023', message = 'a whistle says why the departments are summoned (a note)';
  end if;
  if p_ack_hours is null or p_ack_hours <= 0 or p_ack_hours > 200 then
    raise exception using errcode = '22023', message = format('the time to acknowledge must be more than 0 and at most 200 working hours, not %s', p_ack_hours);
  end if;
  insert into case_whistles (case_id, note, blown_by, blown_by_name)
  values (c.id, p_note, auth.uid(), coalesce((select m.display_name from members m where m.user_id = auth.uid()), ''))
  returning * into w;
  insert into whistle_calls (whistle_id, department_id, ack_deadline)
  select w.id, d, add_working_hours(now(), p_ack_hours) from (select distinct unnest(summoned) d) x;
  return jsonb_build_object('id', w.id, 'caseId', c.id, 'calls', (select count(*) from whistle_calls k where k.whistle_id = w.id));
end
$$;
comment on function blow_whistle(uuid, jsonb, text, numeric) is
  'Blows the whistle on an open case (admins and the command centre): summons the departments named (a JSON array of ids), each to acknowledge within p_ack_hours working hours; returns {id, caseId, calls}.';
revoke all on function blow_whistle(uuid, jsonb, text, numeric) from public, anon;
grant execute on function blow_whistle(uuid, jsonb, text, numeric) to authenticated, service_role;

create function whistle_call_for_officer(p_call bigint) returns whistle_calls
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  k whistle_calls%rowtype;
begin
  select * into k from whistle_calls where id = p_call for update;
  if not found or app_role() <> 'department' or k.department_id is distinct from member_department() then
    raise exception using errcode = 'P0002', message = format('no whistle call %s for your department', p_call);
  end if;
  return k;
end
$$;
comment on function whistle_call_for_officer(bigint) is 'The whistle call, locked, when it summons the signed-in department officer''s department; else P0002 (used by acknowledge_whistle and report_whistle).';
revoke all on function whistle_call_for_officer(bigint) from public, anon;
grant execute on function whistle_call_for_officer(bigint) to authenticated, service_role;

create function acknowledge_whistle(p_call bigint) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  k whistle_calls%rowtype := whistle_call_for_officer(p_call);
begin
  if k.acknowledged_at is not null then
    raise exception using errcode = '22023', message = format('whistle call %s was acknowledged already', p_call);
  end if;
  update whistle_calls set acknowledged_at = now(), acknowledged_by_name = coalesce((select m.display_name from members m where m.user_id = auth.uid()), '')
  where id = p_call returning * into k;
  return jsonb_build_object('id', k.id, 'acknowledgedAt', k.acknowledged_at, 'late', k.acknowledged_at > k.ack_deadline);
end
$$;
comment on function acknowledge_whistle(bigint) is 'The summoned department''s officer acknowledges (报到) a whistle call, once; returns {id, acknowledgedAt, late}.';
revoke all on function acknowledge_whistle(bigint) from public, anon;
grant execute on function acknowledge_whistle(bigint) to authenticated, service_role;

create function report_whistle(p_call bigint, p_report text) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  k whistle_calls%rowtype := whistle_call_for_officer(p_call);
begin
  if k.acknowledged_at is null then
    raise exception using errcode = '22023', message = format('whistle call %s: acknowledge it before reporting', p_call);
  end if;
  if btrim(coalesce(p_report, '')) = '' then
    raise exception using errcode = '22023', message = 'a report says what the department did';
  end if;
  update whistle_calls set report = p_report, reported_at = now() where id = p_call returning * into k;
  return jsonb_build_object('id', k.id, 'reportedAt', k.reported_at);
end
$$;
comment on function report_whistle(bigint, text) is 'The summoned department reports what it did on a whistle call it acknowledged (a later report replaces the earlier one until it is rated).';
revoke all on function report_whistle(bigint, text) from public, anon;
grant execute on function report_whistle(bigint, text) to authenticated, service_role;

create function rate_whistle(p_call bigint, p_rating integer, p_note text default '') returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  k whistle_calls%rowtype;
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'the summoning side (administrators, the command centre) rates the departments';
  end if;
  select * into k from whistle_calls where id = p_call for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no whistle call %s', p_call);
  end if;
  if k.reported_at is null then
    raise exception using errcode = '22023', message = format('whistle call %s has no report to rate yet', p_call);
  end if;
  if p_rating is null or p_rating not between 1 and 5 then
    raise exception using errcode = '22023', message = format('a rating is 1 to 5, not %s', p_rating);
  end if;
  update whistle_calls set rating = p_rating, rating_note = coalesce(p_note, ''), rated_at = now() where id = p_call returning * into k;
  return jsonb_build_object('id', k.id, 'rating', k.rating);
end
$$;
comment on function rate_whistle(bigint, integer, text) is 'Rates a department''s response to a whistle call 1–5 with a note (administrators, the command centre), once it has reported.';
revoke all on function rate_whistle(bigint, integer, text) from public, anon;
grant execute on function rate_whistle(bigint, integer, text) to authenticated, service_role;

-- The report may be replaced until the call is rated: refused after.
create function whistle_call_rated_is_final() returns trigger
language plpgsql
set search_path = public, extensions, pg_temp
as $$
begin
  if old.rated_at is not null then
    raise exception using errcode = '22023', message = format('whistle call %s is rated: it changes no more', old.id);
  end if;
  return new;
end
$$;
comment on function whistle_call_rated_is_final() is 'Trigger: a rated whistle call changes no more.';
revoke all on function whistle_call_rated_is_final() from public, anon;
create trigger whistle_calls_rated_is_final before update on whistle_calls for each row execute function whistle_call_rated_is_final();

create function case_whistles(p_case uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', w.id, 'note', w.note, 'blownByName', w.blown_by_name, 'blownAt', w.blown_at,
    'calls', (select coalesce(jsonb_agg(jsonb_build_object(
        'id', k.id, 'departmentId', k.department_id, 'departmentName', (select d.name from departments d where d.id = k.department_id),
        'ackDeadline', k.ack_deadline, 'acknowledgedAt', k.acknowledged_at, 'acknowledgedByName', k.acknowledged_by_name,
        'missed', coalesce(k.acknowledged_at, now()) > k.ack_deadline,
        'report', k.report, 'reportedAt', k.reported_at, 'rating', k.rating, 'ratingNote', k.rating_note,
        'mine', app_role() = 'department' and k.department_id = member_department()) order by k.department_id), '[]')
      from whistle_calls k where k.whistle_id = w.id)) order by w.id), '[]')
  from case_whistles w where w.case_id = p_case
$$;
comment on function case_whistles(uuid) is
  'The whistles of a case the caller may read, oldest first, each with its calls: deadline to acknowledge, acknowledged when and by whom, missed (not acknowledged by the deadline, decided against now()), report, rating; mine: the caller''s department is summoned.';
revoke all on function case_whistles(uuid) from public, anon;
grant execute on function case_whistles(uuid) to authenticated, service_role;
