-- Purpose: complaints handled at once (接诉即办, issue 23). A complaint is a case from the citizen
--          hotline (12345) or a citizen complaint that records who complained and how to reach
--          them. The department the case is dispatched to must contact the citizen within a
--          limit in working hours (the 'contact' stage of case_time_limits), counted from the first
--          dispatch; at closing the command centre calls the citizen back and records their rating
--          (satisfied / basically satisfied / dissatisfied) and whether the problem was solved; a
--          dissatisfied rating may reopen the case. Response, resolution and satisfaction rates
--          per department or street and period, with a ranking, by rules kept as data.
--   * The citizen's name and phone are personal: in full for administrators, the command centre
--     (who takes the call and calls back) and the officers of the department the case is
--     dispatched to, each view logged first in personal_data_views as a person's is; masked for
--     the others who read the case (grid workers, departments summoned by a whistle); planners
--     and everyone else get nothing. case_complainants is not readable directly.
--   * The rates are figures, never contacts: every member reads them (Beijing publishes its
--     rankings), through a security definer function that counts.
-- Tables: case_complainants, complaint_ratings, complaint_rate_rules (new); case_time_limits (stage
--         'contact'); case_actions (reopen a closed case: command, with a reason);
--         personal_data_views (case_id: a complainant's contact seen).
-- Functions: report_complaint, complaint_contact_clock (trigger), log_complainant_view,
--            case_complainant, record_complaint_contact, rate_complaint, complaint_rates,
--            set_complaint_rate_rules (new).
-- Destructive: none.

-- A closed case can be reopened by the command centre (a citizen dissatisfied at the callback).
insert into case_actions (action, from_state, to_state, roles, needs_note) values
  ('reopen', 'closed', 'in_progress', '{admin,command}', true);

-- The time to contact the citizen, counted from the first dispatch.
alter table case_time_limits drop constraint case_time_limits_stage_check;
alter table case_time_limits add constraint case_time_limits_stage_check
  check (stage in ('reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'answered', 'closed', 'contact'));
insert into case_time_limits (category, severity, stage, hours) values ('*', 0, 'contact', 8), ('*', 4, 'contact', 2);

create table case_complainants (
  case_id uuid primary key references cases (id),
  name text not null check (length(btrim(name)) > 0 and char_length(name) <= 60),
  phone text not null check (phone ~ '^\+?[0-9][0-9 -]{4,19}$'),
  contact_deadline_at timestamptz,
  contacted_at timestamptz,
  contacted_by uuid,
  contacted_by_name text,
  contact_note text check (char_length(contact_note) <= 4000),
  created_at timestamptz not null default now()
);
comment on table case_complainants is
  'Who complained (接诉即办) and how to reach them, for a complaint case; when the citizen must be contacted by (set at the first dispatch) and when they were. Personal: read only through case_complainant(); written by report_complaint and record_complaint_contact.';
comment on column case_complainants.contact_deadline_at is 'The first dispatch plus the ''contact'' time limit in working hours; null until dispatched.';
alter table case_complainants enable row level security;
-- The key alone is readable (as person_private's), so that the role matrix and joins can address rows.
grant select (case_id) on case_complainants to authenticated;
create policy "who reads the case knows it has a complainant" on case_complainants for select to authenticated
  using (exists (select 1 from cases c where c.id = case_complainants.case_id));

create table complaint_ratings (
  id bigint generated always as identity primary key,
  case_id uuid not null references cases (id),
  closing_trace_id bigint not null unique references case_trace (id),
  rating text not null check (rating in ('satisfied', 'basically_satisfied', 'dissatisfied')),
  solved boolean not null,
  note text not null default '' check (char_length(note) <= 4000),
  reopened boolean not null default false,
  rated_by uuid not null,
  rated_by_name text not null default '',
  rated_at timestamptz not null default now()
);
comment on table complaint_ratings is
  'The citizen''s rating at each closing of a complaint (回访), append-only: satisfied, basically satisfied or dissatisfied, solved or not, and whether it reopened the case. The latest counts in the rates. Written by rate_complaint only.';
comment on column complaint_ratings.closing_trace_id is 'The closing (its trace row) this rating is of: one rating per closing.';
create index complaint_ratings_case_idx on complaint_ratings (case_id, rated_at desc);
alter table complaint_ratings enable row level security;
grant select on complaint_ratings to authenticated;
create policy "who reads the case reads its ratings" on complaint_ratings for select to authenticated
  using (exists (select 1 from cases c where c.id = complaint_ratings.case_id));
create trigger complaint_ratings_append_only before update or delete on complaint_ratings
  for each row execute function history_is_append_only();

create table complaint_rate_rules (
  id boolean primary key default true check (id),
  satisfied_weight numeric not null default 1 check (satisfied_weight between 0 and 1),
  basically_satisfied_weight numeric not null default 0.8 check (basically_satisfied_weight between 0 and 1),
  response_weight numeric not null default 0.1 check (response_weight between 0 and 1),
  resolution_weight numeric not null default 0.45 check (resolution_weight between 0 and 1),
  satisfaction_weight numeric not null default 0.45 check (satisfaction_weight between 0 and 1),
  updated_at timestamptz not null default now(),
  constraint complaint_rate_rules_weights_sum check (response_weight + resolution_weight + satisfaction_weight = 1)
);
comment on table complaint_rate_rules is
  'How the three complaint rates and the score are counted (one row): a satisfied rating counts satisfied_weight, a basically satisfied one basically_satisfied_weight towards the satisfaction rate; the score is the weighted sum of the response, resolution and satisfaction rates (weights summing to 1). Shown next to every score; edited by the command centre through set_complaint_rate_rules.';
alter table complaint_rate_rules enable row level security;
grant select on complaint_rate_rules to authenticated;
create policy "members read the rate rules" on complaint_rate_rules for select to authenticated
  using ((select app_role()) in ('admin', 'command', 'worker', 'planner', 'department'));
insert into complaint_rate_rules default values;

alter table personal_data_views add column case_id uuid;
alter table personal_data_views alter column entity_id drop not null;
alter table personal_data_views add constraint personal_data_views_one_subject check (num_nonnulls(entity_id, case_id) = 1);
comment on column personal_data_views.case_id is 'The complaint case whose complainant''s contact was seen (entity_id is then null); kept when the case goes.';
create index personal_data_views_case_idx on personal_data_views (case_id, viewed_at desc) where case_id is not null;

create function report_complaint(p_source text, p_category text, p_severity integer, p_description text, p_lon double precision,
                                 p_lat double precision, p_name text, p_phone text) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  reported jsonb;
begin
  if p_source not in ('hotline', 'complaint') then
    raise exception using errcode = '22023', message = format('a complaint comes from the hotline or a citizen complaint, not "%s"', p_source);
  end if;
  if btrim(coalesce(p_name, '')) = '' then
    raise exception using errcode = '22023', message = 'a complaint needs the citizen''s name';
  end if;
  if coalesce(p_phone, '') !~ '^\+?[0-9][0-9 -]{4,19}$' then
    raise exception using errcode = '22023', message = format('"%s" is not a phone number (digits, spaces or dashes, 5 to 20)', coalesce(p_phone, ''));
  end if;
  reported := report_case(p_source, p_category, p_severity, p_description, p_lon, p_lat, null);
  insert into case_complainants (case_id, name, phone) values ((reported ->> 'id')::uuid, btrim(p_name), regexp_replace(p_phone, '[ -]', '', 'g'));
  return reported;
end
$$;
comment on function report_complaint(text, text, integer, text, double precision, double precision, text, text) is
  'Reports a complaint (source hotline or complaint) as report_case does, with the citizen''s name and phone (kept without spaces and dashes), in one transaction; returns report_case''s answer.';
revoke all on function report_complaint(text, text, integer, text, double precision, double precision, text, text) from public, anon;
grant execute on function report_complaint(text, text, integer, text, double precision, double precision, text, text) to authenticated, service_role;

create function complaint_contact_clock() returns trigger
language plpgsql security definer
set search_path = public, extensions, pg_temp
as $$
begin
  update case_complainants
  set contact_deadline_at = add_working_hours(now(), case_stage_hours(new.category, new.severity, 'contact'))
  where case_id = new.id and contact_deadline_at is null and contacted_at is null;
  return null;
end
$$;
comment on function complaint_contact_clock() is
  'Trigger: at a complaint''s first dispatch, the time to contact the citizen starts (the ''contact'' limit in working hours).';
revoke all on function complaint_contact_clock() from public, anon;
create trigger cases_complaint_contact_clock after update of state on cases
  for each row when (new.state = 'dispatched' and old.state is distinct from 'dispatched')
  execute function complaint_contact_clock();

create function complainant_shown_in_full(p_case uuid) returns boolean
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select app_role() in ('admin', 'command')
      or (app_role() = 'department' and exists (select 1 from cases c where c.id = p_case and c.department_id = member_department()))
$$;
comment on function complainant_shown_in_full(uuid) is
  'Whether the caller may see a complaint''s citizen contact in full: administrators, the command centre, the officers of the department the case is dispatched to.';
revoke all on function complainant_shown_in_full(uuid) from public, anon;
grant execute on function complainant_shown_in_full(uuid) to authenticated, service_role;

create function log_complainant_view(p_case uuid) returns bigint
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  logged bigint;
begin
  if not exists (select 1 from case_complainants k where k.case_id = p_case) or not complainant_shown_in_full(p_case) then
    return null;
  end if;
  insert into personal_data_views (viewer, viewer_role, case_id, txid)
  values (auth.uid(), app_role(), p_case, txid_current())
  returning id into logged;
  return logged;
end
$$;
comment on function log_complainant_view(uuid) is
  'Logs that the caller is about to see a complaint''s citizen contact in full and returns the log row''s id; null when the caller would not see it in full. Must commit before case_complainant() gives the contact.';
revoke all on function log_complainant_view(uuid) from public, anon;
grant execute on function log_complainant_view(uuid) to authenticated, service_role;

create function case_complainant(p_case uuid) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  c cases%rowtype;
  k case_complainants%rowtype;
  full_view boolean;
  reads boolean;
begin
  select * into c from cases where id = p_case;
  if not found then
    return null;
  end if;
  select * into k from case_complainants where case_id = p_case;
  if not found then
    return null;
  end if;
  full_view := complainant_shown_in_full(p_case);
  reads := full_view
    or (role = 'worker' and (is_own_cell(c.cell_code) or c.reported_by = auth.uid()))
    or (role = 'department' and member_summoned_to(p_case));
  if not reads then
    return null;
  end if;
  if full_view and not exists (
    select 1 from personal_data_views v
    where v.viewer = auth.uid() and v.case_id = p_case and v.viewed_at > now() - interval '2 minutes'
      and v.txid is distinct from txid_current_if_assigned()
  ) then
    raise exception using errcode = '42501',
      message = 'the citizen''s contact is given only after the view has been logged',
      hint = 'call log_complainant_view(case) in a transaction of its own first; it must commit before this read';
  end if;
  return jsonb_build_object(
    'name', case when full_view then k.name else mask_name(k.name) end,
    'phone', case when full_view then k.phone else mask_phone(k.phone) end,
    'masked', not full_view,
    'contactDeadlineAt', k.contact_deadline_at,
    'contactedAt', k.contacted_at,
    'contactedByName', k.contacted_by_name,
    'contactNote', k.contact_note,
    'contactLate', coalesce(k.contacted_at, now()) > k.contact_deadline_at,
    'canContact', k.contacted_at is null and c.state in ('dispatched', 'in_progress', 'answered')
                  and (role in ('admin', 'command') or (role = 'department' and c.department_id = member_department())),
    'canRate', c.state = 'closed' and role in ('admin', 'command')
               and not exists (select 1 from complaint_ratings r
                               where r.closing_trace_id = (select max(t.id) from case_trace t where t.case_id = p_case and t.to_state = 'closed')),
    'ratings', coalesce((select jsonb_agg(jsonb_build_object(
                 'id', r.id, 'rating', r.rating, 'solved', r.solved, 'note', r.note, 'reopened', r.reopened,
                 'ratedByName', r.rated_by_name, 'ratedAt', r.rated_at) order by r.rated_at, r.id)
               from complaint_ratings r where r.case_id = p_case), '[]'));
end
$$;
comment on function case_complainant(uuid) is
  'A complaint''s citizen and what was done with them: name and phone in full (after log_complainant_view has committed, else an error) for administrators, the command centre and the handling department''s officers, masked for grid workers and summoned departments who read the case, null for everyone else or a case without a complainant; the contact deadline and contact, whether the caller may record the contact or the rating now, and every rating.';
revoke all on function case_complainant(uuid) from public, anon;
grant execute on function case_complainant(uuid) to authenticated, service_role;

create function record_complaint_contact(p_case uuid, p_note text) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  c cases%rowtype;
  k case_complainants%rowtype;
begin
  select * into c from cases where id = p_case for update;
  if not found or not (role in ('admin', 'command') or (role = 'department' and c.department_id = member_department())) then
    raise exception using errcode = 'P0002', message = format('no complaint %s to contact', p_case);
  end if;
  select * into k from case_complainants where case_id = p_case for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('case %s is not a complaint: it has no citizen to contact', c.code);
  end if;
  if k.contacted_at is not null then
    raise exception using errcode = '22023',
      message = format('the citizen of %s was contacted already, at %s by %s', c.code, to_char(k.contacted_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), k.contacted_by_name);
  end if;
  if c.state not in ('dispatched', 'in_progress', 'answered') then
    raise exception using errcode = '22023', message = format('case %s is %s: the citizen is contacted while it is dispatched, in progress or answered', c.code, c.state);
  end if;
  if btrim(coalesce(p_note, '')) = '' then
    raise exception using errcode = '22023', message = 'recording the contact needs a note (what was agreed with the citizen)';
  end if;
  update case_complainants
  set contacted_at = now(), contacted_by = auth.uid(),
      contacted_by_name = coalesce((select m.display_name from members m where m.user_id = auth.uid()), ''), contact_note = btrim(p_note)
  where case_id = p_case
  returning * into k;
  return jsonb_build_object('contactedAt', k.contacted_at, 'late', k.contacted_at > k.contact_deadline_at);
end
$$;
comment on function record_complaint_contact(uuid, text) is
  'Records that the citizen of a complaint was contacted (once; with a note), by the handling department''s officer, the command centre or an administrator, while the case is dispatched, in progress or answered; returns {contactedAt, late}.';
revoke all on function record_complaint_contact(uuid, text) from public, anon;
grant execute on function record_complaint_contact(uuid, text) to authenticated, service_role;

create function rate_complaint(p_case uuid, p_rating text, p_solved boolean, p_note text default '', p_reopen boolean default false)
returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  role text := app_role();
  c cases%rowtype;
  closing bigint;
  rated complaint_ratings%rowtype;
  moved jsonb;
begin
  if role not in ('admin', 'command') then
    raise exception using errcode = '42501', message = format('role %s may not record a citizen''s rating', role);
  end if;
  select * into c from cases where id = p_case for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no case %s', p_case);
  end if;
  if not exists (select 1 from case_complainants k where k.case_id = p_case) then
    raise exception using errcode = '22023', message = format('case %s is not a complaint: nobody to rate it', c.code);
  end if;
  if c.state <> 'closed' then
    raise exception using errcode = '22023', message = format('case %s is %s: the citizen rates a closed case', c.code, c.state);
  end if;
  if p_rating is null or p_rating not in ('satisfied', 'basically_satisfied', 'dissatisfied') then
    raise exception using errcode = '22023',
      message = format('"%s" is not a rating (satisfied, basically_satisfied, dissatisfied)', coalesce(p_rating, 'nothing'));
  end if;
  if p_solved is null then
    raise exception using errcode = '22023', message = 'a rating says whether the problem was solved';
  end if;
  if coalesce(p_reopen, false) and p_rating <> 'dissatisfied' then
    raise exception using errcode = '22023', message = format('only a dissatisfied rating reopens a case, not %s', p_rating);
  end if;
  select max(t.id) into closing from case_trace t where t.case_id = p_case and t.to_state = 'closed';
  if exists (select 1 from complaint_ratings r where r.closing_trace_id = closing) then
    raise exception using errcode = '22023', message = format('case %s was rated already since it was closed', c.code);
  end if;
  insert into complaint_ratings (case_id, closing_trace_id, rating, solved, note, reopened, rated_by, rated_by_name)
  values (p_case, closing, p_rating, p_solved, coalesce(btrim(p_note), ''), coalesce(p_reopen, false), auth.uid(),
          coalesce((select m.display_name from members m where m.user_id = auth.uid()), ''))
  returning * into rated;
  if coalesce(p_reopen, false) then
    moved := transition_case(p_case, 'reopen', coalesce(nullif(btrim(p_note), ''), 'citizen dissatisfied'), null, c.version);
  end if;
  return jsonb_build_object('ratingId', rated.id, 'reopened', rated.reopened,
                            'state', coalesce(moved ->> 'state', c.state), 'version', coalesce((moved ->> 'version')::int, c.version));
end
$$;
comment on function rate_complaint(uuid, text, boolean, text, boolean) is
  'Records the citizen''s rating of a closed complaint at the callback (command centre, administrators; once per closing): satisfied, basically_satisfied or dissatisfied, solved or not, a note; a dissatisfied rating with p_reopen takes the case back to in progress (the reopen step, traced) in the same transaction. Returns {ratingId, reopened, state, version}.';
revoke all on function rate_complaint(uuid, text, boolean, text, boolean) from public, anon;
grant execute on function rate_complaint(uuid, text, boolean, text, boolean) to authenticated, service_role;

create function complaint_rates(p_group text, p_from timestamptz, p_to timestamptz) returns jsonb
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  rules complaint_rate_rules%rowtype;
  result jsonb;
begin
  if app_role() not in ('admin', 'command', 'worker', 'planner', 'department') then
    raise exception using errcode = '42501', message = 'only members read the complaint rates';
  end if;
  if p_group is null or p_group not in ('department', 'street') then
    raise exception using errcode = '22023', message = format('complaint rates are grouped by department or street, not "%s"', coalesce(p_group, 'nothing'));
  end if;
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = '22023', message = 'the period needs a start before its end';
  end if;
  select * into rules from complaint_rate_rules;
  with complaints as (
    select c.id, case when p_group = 'department' then c.department_id else left(c.community_code, 9) end as key,
           k.contact_deadline_at, k.contacted_at,
           (select r.rating from complaint_ratings r where r.case_id = c.id order by r.rated_at desc, r.id desc limit 1) as rating,
           (select r.solved from complaint_ratings r where r.case_id = c.id order by r.rated_at desc, r.id desc limit 1) as solved
    from cases c join case_complainants k on k.case_id = c.id
    where c.reported_at >= p_from and c.reported_at < p_to
  ), counted as (
    select key,
           count(*) as complaints,
           count(*) filter (where contacted_at is not null or contact_deadline_at < now()) as due,
           count(*) filter (where contacted_at <= contact_deadline_at) as responded,
           count(rating) as rated,
           count(*) filter (where solved) as solved,
           count(*) filter (where rating = 'satisfied') as satisfied,
           count(*) filter (where rating = 'basically_satisfied') as basically_satisfied,
           count(*) filter (where rating = 'dissatisfied') as dissatisfied
    from complaints where key is not null
    group by key
  ), rated as (
    select n.*,
           round(n.responded::numeric / nullif(n.due, 0), 4) as response_rate,
           round(n.solved::numeric / nullif(n.rated, 0), 4) as resolution_rate,
           round((n.satisfied * rules.satisfied_weight + n.basically_satisfied * rules.basically_satisfied_weight) / nullif(n.rated, 0), 4) as satisfaction_rate
    from counted n
  ), scored as (
    select r.*, round(rules.response_weight * r.response_rate + rules.resolution_weight * r.resolution_rate
                      + rules.satisfaction_weight * r.satisfaction_rate, 4) as score
    from rated r
  )
  select jsonb_build_object(
    'group', p_group, 'from', p_from, 'to', p_to,
    'rules', jsonb_build_object('satisfiedWeight', rules.satisfied_weight, 'basicallySatisfiedWeight', rules.basically_satisfied_weight,
                                'responseWeight', rules.response_weight, 'resolutionWeight', rules.resolution_weight,
                                'satisfactionWeight', rules.satisfaction_weight),
    'rows', coalesce(jsonb_agg(jsonb_build_object(
      'key', s.key,
      'name', coalesce(case when p_group = 'department' then (select d.name from departments d where d.id = s.key)
                            else (select a.name from admin_areas a where a.code = s.key) end, s.key),
      'complaints', s.complaints, 'due', s.due, 'responded', s.responded, 'rated', s.rated, 'solved', s.solved,
      'satisfied', s.satisfied, 'basicallySatisfied', s.basically_satisfied, 'dissatisfied', s.dissatisfied,
      'responseRate', s.response_rate, 'resolutionRate', s.resolution_rate, 'satisfactionRate', s.satisfaction_rate,
      'score', s.score,
      'rank', case when s.score is not null then (select 1 + count(*) from scored o where o.score > s.score) end)
      order by s.score desc nulls last, s.key), '[]'))
  into result
  from scored s;
  return result;
end
$$;
comment on function complaint_rates(text, timestamptz, timestamptz) is
  'The three complaint rates (接诉即办) of the complaints reported in [p_from, p_to), per department (the one the case is dispatched to) or street: response rate = contacted by the deadline / complaints whose contact was due (contacted, or the deadline passed); resolution rate = solved / rated (the latest rating of each case); satisfaction rate = (satisfied × its weight + basically satisfied × its weight) / rated; score = the rates weighted by complaint_rate_rules; rank by score (ties share a rank; no score without all three rates). Every member reads it: counts only (security definer).';
revoke all on function complaint_rates(text, timestamptz, timestamptz) from public, anon;
grant execute on function complaint_rates(text, timestamptz, timestamptz) to authenticated, service_role;

create function set_complaint_rate_rules(p_rules jsonb) returns void
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
begin
  if app_role() not in ('admin', 'command') then
    raise exception using errcode = '42501', message = 'only the command centre and administrators edit the complaint rate rules';
  end if;
  update complaint_rate_rules
  set satisfied_weight = coalesce((p_rules ->> 'satisfiedWeight')::numeric, satisfied_weight),
      basically_satisfied_weight = coalesce((p_rules ->> 'basicallySatisfiedWeight')::numeric, basically_satisfied_weight),
      response_weight = coalesce((p_rules ->> 'responseWeight')::numeric, response_weight),
      resolution_weight = coalesce((p_rules ->> 'resolutionWeight')::numeric, resolution_weight),
      satisfaction_weight = coalesce((p_rules ->> 'satisfactionWeight')::numeric, satisfaction_weight),
      updated_at = now();
end
$$;
comment on function set_complaint_rate_rules(jsonb) is
  'Changes the complaint rate rules ({satisfiedWeight, basicallySatisfiedWeight, responseWeight, resolutionWeight, satisfactionWeight}; keys left out stay); command centre and administrators. The three score weights must sum to 1 (else the check refuses).';
revoke all on function set_complaint_rate_rules(jsonb) from public, anon;
grant execute on function set_complaint_rate_rules(jsonb) to authenticated, service_role;
create policy "command and admins edit the rate rules" on complaint_rate_rules for update to authenticated
  using ((select app_role()) in ('admin', 'command')) with check ((select app_role()) in ('admin', 'command'));
grant update on complaint_rate_rules to authenticated;
