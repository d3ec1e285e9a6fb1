-- Purpose: a step sent twice is one step (issue 24, weak networks). A grid worker's answer made
--          offline is kept on the phone and sent when the network is back; if the answer to a send
--          is lost, the phone sends again. transition_case takes the key the page made for the
--          step, and the same member sending a step again with a key of theirs already used gets
--          the case as it is now, with "repeated": true, instead of a second step or a refusal.
-- Tables: case_step_keys (new: the keys of the steps taken, per member).
-- Functions: transition_case (replaced with p_key; the former one is kept under a new name,
--            internal).
-- Destructive: none.
create table case_step_keys (
  actor uuid not null,
  client_key uuid not null,
  case_id uuid not null references cases (id),
  trace_id bigint not null references case_trace (id),
  at timestamptz not null default now(),
  primary key (actor, client_key)
);
comment on table case_step_keys is
  'The key the page made for each step a member took with one (transition_case p_key): the same member sending the step again gets the case as it is, not a second step. Written only by transition_case; each member reads their own.';
comment on column case_step_keys.actor is 'The member who took the step.';
comment on column case_step_keys.client_key is 'The key the page made for the step.';
comment on column case_step_keys.case_id is 'The case the step moved.';
comment on column case_step_keys.trace_id is 'The trace row the step wrote.';
comment on column case_step_keys.at is 'When the step was taken.';
create index case_step_keys_case_idx on case_step_keys (case_id);
create index case_step_keys_trace_idx on case_step_keys (trace_id);
alter table case_step_keys enable row level security;
create policy case_step_keys_own on case_step_keys for select to authenticated using (actor = (select auth.uid()));
revoke all on case_step_keys from public, anon, authenticated;
grant select on case_step_keys to authenticated;
grant select, insert on case_step_keys to service_role;

alter function transition_case(uuid, text, text, text, integer, jsonb) rename to transition_case_unkeyed;
revoke all on function transition_case_unkeyed(uuid, text, text, text, integer, jsonb) from public, anon, authenticated;
comment on function transition_case_unkeyed(uuid, text, text, text, integer, jsonb) is
  'Internal to transition_case: takes a case one step with its trace row, the next deadline and its photos, without a client key.';

create function transition_case(p_case uuid, p_action text, p_note text default '', p_department text default null,
                                p_expected_version integer default null, p_photos jsonb default '[]',
                                p_key uuid default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_taken case_step_keys%rowtype;
  v_case cases%rowtype;
  v_moved jsonb;
begin
  if p_key is not null then
    -- Two sends of one step at once: the second waits for the first, then finds its key.
    perform pg_advisory_xact_lock(hashtext('step:' || p_key::text));
    select * into v_taken from case_step_keys k where k.actor = auth.uid() and k.client_key = p_key;
    if found then
      if v_taken.case_id <> p_case then
        raise exception using errcode = '22023',
          message = format('the step key %s was used for another case; a new step needs a new key', p_key);
      end if;
      select * into v_case from cases c where c.id = p_case;
      return jsonb_build_object('id', v_case.id, 'code', v_case.code, 'state', v_case.state, 'departmentId', v_case.department_id,
                                'version', v_case.version, 'deadlineAt', v_case.deadline_at,
                                'allowed', to_jsonb(case_allowed_actions(v_case.state, app_role())), 'repeated', true);
    end if;
  end if;
  v_moved := transition_case_unkeyed(p_case, p_action, p_note, p_department, p_expected_version, p_photos);
  if p_key is not null then
    -- The case is locked by the step until the transaction ends: the latest trace row is this step's.
    insert into case_step_keys (actor, client_key, case_id, trace_id)
    values (auth.uid(), p_key, p_case, (select max(t.id) from case_trace t where t.case_id = p_case));
  end if;
  return v_moved;
end
$$;
comment on function transition_case(uuid, text, text, text, integer, jsonb, uuid) is
  'Takes a case one step (case_actions: illegal steps refused naming the allowed ones; reasons and departments required where needed; a stale p_expected_version a conflict, 40001) with its trace row, the next deadline and up to 6 photos, in one transaction under a row lock. With p_key, the same member sending the step again gets the case as it is now ("repeated": true), never a second step.';
revoke all on function transition_case(uuid, text, text, text, integer, jsonb, uuid) from public, anon;
grant execute on function transition_case(uuid, text, text, text, integer, jsonb, uuid) to authenticated, service_role;
