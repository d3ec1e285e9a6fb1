import { DEMO_DEPARTMENTS, type DemoCase } from '../demo/demo-cases';
import type { CaseState } from '../domain/cases';
import { DEMO_MEMBERS, DEMO_OFFICERS } from './demo-members';
import type { SqlClient } from './sql-client';

const member = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

/**
 * Loads the demo's departments, their officers, the routing rules and the demo cases, inside
 * the caller's transaction, as the owner. Each case's steps are placed in working hours by the
 * database (add_working_hours, with its calendar) and follow the state machine of case_actions;
 * a case whose next step would fall after `end` stays in its stage, its deadline the database's.
 */
export async function loadDemoCases(client: SqlClient, cases: readonly DemoCase[], end: Date): Promise<number> {
  await client.query(
    `insert into departments (id, name) select id, name from jsonb_to_recordset($1::jsonb) as r(id text, name text)
     on conflict (id) do update set name = excluded.name`,
    [JSON.stringify(DEMO_DEPARTMENTS.map((d) => ({ id: d.id, name: d.name })))],
  );
  await client.query(
    `insert into members (user_id, role, display_name, department_id)
     select user_id, 'department', display_name, department_id from jsonb_to_recordset($1::jsonb) as r(user_id uuid, display_name text, department_id text)
     on conflict (user_id) do update set role = excluded.role, display_name = excluded.display_name, department_id = excluded.department_id`,
    [JSON.stringify(DEMO_OFFICERS.map((o) => ({ user_id: o.userId, display_name: o.displayName, department_id: o.departmentId })))],
  );
  await client.query(
    `insert into case_routes (category, department_id) select category, department_id from jsonb_to_recordset($1::jsonb) as r(category text, department_id text)
     on conflict (category, area_code) do update set department_id = excluded.department_id`,
    [JSON.stringify(DEMO_DEPARTMENTS.flatMap((d) => d.categories.map((category) => ({ category, department_id: d.id }))))],
  );

  // When each step is taken: the steps of every case at once, one round trip per step number.
  const times: number[][] = cases.map((c) => [Date.parse(c.reportedAt)]);
  for (let k = 0; ; k++) {
    const pending = cases.flatMap((c, i) => (times[i]?.length === k + 1 && k < c.steps.length ? [i] : []));
    if (pending.length === 0) break;
    const { rows } = await client.query<{ at: number }>(
      `select extract(epoch from add_working_hours(t, h))::float8 * 1000 as at
       from unnest($1::timestamptz[], $2::numeric[]) with ordinality as u(t, h, n) order by n`,
      [pending.map((i) => new Date(times[i]?.[k] as number).toISOString()), pending.map((i) => cases[i]?.steps[k]?.hours)],
    );
    rows.forEach((r, j) => {
      if (r.at <= end.getTime()) times[pending[j] as number]?.push(r.at);
    });
  }

  const machine = new Map(
    (
      await client.query<{ action: string; from_state: string; to_state: string }>('select action, from_state, to_state from case_actions')
    ).rows.map((r) => [`${r.action}:${r.from_state}`, r.to_state as CaseState]),
  );
  const workerCells = new Set(
    (await client.query<{ code: string }>('select cell_code code from worker_cells where user_id = $1', [member('worker')])).rows.map(
      (r) => r.code,
    ),
  );
  const officerOf = new Map(DEMO_OFFICERS.map((o) => [o.departmentId, o.userId]));

  const planned = cases.map((c, i) => {
    const at = times[i] as number[];
    let state: CaseState = 'reported';
    let department: string | null = null;
    const steps = c.steps.slice(0, at.length - 1).map((s, k) => {
      const from = state;
      const to = machine.get(`${s.action}:${from}`);
      if (!to) throw new Error(`demo case of event ${c.eventId}: "${s.action}" is no step from ${from}`);
      if (s.action === 'dispatch') department = s.departmentId;
      state = to;
      return { ...s, from, to, at: at[k + 1] as number, department };
    });
    return { c, steps, state, department, last: at[at.length - 1] as number };
  });

  let loaded = 0;
  const BATCH = 2_000;
  for (let b = 0; b < planned.length; b += BATCH) {
    const batch = planned.slice(b, b + BATCH);
    const { rows } = await client.query<{ id: string; cell_code: string | null; event_id: string }>(
      `with r as (
         select * from jsonb_to_recordset($1::jsonb)
           as r(event_id text, source text, category text, severity smallint, description text, lon float8, lat float8,
                reported_at timestamptz, last_at timestamptz, state text, department_id text, version int, n bigint)
       ), ins as (
         insert into cases (source, event_id, category, severity, description, geom, state, department_id, reported_by, reported_at, updated_at,
                            stage_started_at, version)
         select r.source, e.id, r.category, r.severity, r.description, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r.state, r.department_id,
                $2::uuid, r.reported_at, r.last_at, r.last_at, r.version
         from r left join events e on e.external_id = r.event_id
         order by r.n
         returning id, event_id, cell_code, community_code, category, severity, state, stage_started_at
       )
       select i.id, i.cell_code, e.external_id event_id from ins i join events e on e.id = i.event_id`,
      [
        JSON.stringify(
          batch.map((p, n) => ({
            n,
            event_id: p.c.eventId,
            source: p.c.source,
            category: p.c.category,
            severity: p.c.severity,
            description: p.c.description,
            lon: p.c.lon,
            lat: p.c.lat,
            reported_at: p.c.reportedAt,
            last_at: new Date(p.last).toISOString(),
            state: p.state,
            department_id: p.department,
            version: p.steps.length + 1,
          })),
        ),
        member('command'),
      ],
    );
    // The rows come back in no promised order: matched to the batch by their event (one case per event).
    const byEvent = new Map(rows.map((r) => [r.event_id, r]));
    const trace = batch.flatMap((p) => {
      const row = byEvent.get(p.c.eventId);
      if (!row) throw new Error('a demo case was not inserted');
      const inWorkerCells = row.cell_code !== null && workerCells.has(row.cell_code);
      const reporter = p.c.source === 'grid_worker' && inWorkerCells ? member('worker') : member('command');
      const byRole = (action: string, from: CaseState, department: string | null) =>
        ['start', 'answer', 'return'].includes(action) || (action === 'escalate' && from !== 'registered')
          ? ['department', officerOf.get(department ?? '') as string]
          : ['verify', 'reopen'].includes(action) && inWorkerCells
            ? ['worker', member('worker')]
            : ['command', member('command')];
      let previous = Date.parse(p.c.reportedAt);
      return [
        {
          case_id: row.id,
          action: 'report',
          from_state: null,
          to_state: 'reported',
          actor: reporter,
          actor_role: reporter === member('worker') ? 'worker' : 'command',
          department_id: null,
          note: p.c.description,
          at: p.c.reportedAt,
          left_at: null,
          category: p.c.category,
          severity: p.c.severity,
        },
        ...p.steps.map((s) => {
          const [role, actor] = byRole(s.action, s.from, s.department);
          const stepRow = {
            case_id: row.id,
            action: s.action,
            from_state: s.from,
            to_state: s.to,
            actor,
            actor_role: role,
            department_id: s.department,
            note: s.note,
            at: new Date(s.at).toISOString(),
            left_at: new Date(previous).toISOString(),
            category: p.c.category,
            severity: p.c.severity,
          };
          previous = s.at;
          return stepRow;
        }),
      ];
    });
    await client.query(
      `insert into case_trace (case_id, action, from_state, to_state, actor, actor_role, actor_name, department_id, note, at, deadline_at)
       select r.case_id, r.action, r.from_state, r.to_state, r.actor, r.actor_role, coalesce(m.display_name, ''), r.department_id, r.note, r.at,
              case when r.from_state is not null then add_working_hours(r.left_at, case_stage_hours(r.category, r.severity, r.from_state)) end
       from jsonb_to_recordset($1::jsonb)
         as r(case_id uuid, action text, from_state text, to_state text, actor uuid, actor_role text, department_id text, note text,
              at timestamptz, left_at timestamptz, category text, severity smallint, n bigint)
       left join members m on m.user_id = r.actor
       order by r.n`,
      [JSON.stringify(trace.map((t, n) => ({ ...t, n })))],
    );
    loaded += batch.length;
  }
  // Apart from the insert: a statement does not see the rows its own insert wrote.
  await client.exec(
    `update cases set deadline_at = add_working_hours(stage_started_at, case_stage_hours(category, severity, state)),
                      proposed_department_id = propose_department(category, community_code) ->> 'departmentId'
     where deadline_at is null and proposed_department_id is null`,
  );
  await loadDemoComplaints(client, end);
  await loadDemoWhistles(client, end);
  return loaded;
}

/**
 * The demo's whistles (吹哨报到): about one in twelve cases of severity 3 or 4 that reached
 * a department had the command centre summon it and a second department an hour after the
 * dispatch; each call has its deadline to acknowledge (two working hours); most acknowledged in
 * time, some late, a few never; those acknowledged reported what they did, and the command
 * centre rated the reports of cases since closed. Pseudo-random by a hash of the case's event.
 */
async function loadDemoWhistles(client: SqlClient, end: Date): Promise<void> {
  const departments = DEMO_DEPARTMENTS.map((d) => d.id);
  await client.query(
    `with picked as (
       select c.id, c.department_id, ('x' || substr(md5(e.external_id || 'whistle'), 1, 12))::bit(48)::bigint as h,
              (select min(t.at) from case_trace t where t.case_id = c.id and t.action = 'dispatch') + interval '1 hour' as blown_at
       from cases c join events e on e.id = c.event_id
       where c.severity >= 3 and c.department_id is not null
     )
     insert into case_whistles (case_id, note, blown_by, blown_by_name, blown_at)
     select p.id, '涉及多个部门，请相关部门到场联合处置', $1::uuid, coalesce((select m.display_name from members m where m.user_id = $1::uuid), ''), p.blown_at
     from picked p where p.h % 12 = 0 and p.blown_at <= $2::timestamptz`,
    [member('command'), end.toISOString()],
  );
  await client.query(
    `with w as (
       select w.id, w.blown_at, c.department_id, c.state, ('x' || substr(md5(w.case_id::text), 1, 12))::bit(48)::bigint as h
       from case_whistles w join cases c on c.id = w.case_id
       where not exists (select 1 from whistle_calls k where k.whistle_id = w.id)
     ), calls as (
       select w.id, d.department_id, w.blown_at, w.state, ('x' || substr(md5(w.id::text || d.department_id), 1, 12))::bit(48)::bigint as h,
              add_working_hours(w.blown_at, 2) as deadline
       from w cross join lateral (
         select w.department_id
         union all select (array_remove($2::text[], w.department_id))[1 + (w.h % (array_length($2::text[], 1) - 1))::int]
       ) d(department_id)
     ), acted as (
       select calls.*,
              case when h % 10 = 0 then null
                   when h % 10 = 1 then deadline + make_interval(mins => 20 + (h / 10 % 180)::int)
                   else blown_at + (deadline - blown_at) * ((h / 10 % 80) / 100.0 + 0.05) end as acknowledged_at
       from calls
     )
     insert into whistle_calls (whistle_id, department_id, ack_deadline, acknowledged_at, acknowledged_by_name, report, reported_at,
                                rating, rating_note, rated_at)
     select a.id, a.department_id, a.deadline, a.acknowledged_at, m.display_name,
            case when a.acknowledged_at is not null then '已到场会商，明确分工并开展联合处置' end,
            case when a.acknowledged_at is not null then a.acknowledged_at + interval '3 hours' end,
            case when a.acknowledged_at is not null and a.state in ('closed', 'evaluated') then (3 + a.h % 3)::smallint end,
            case when a.acknowledged_at is not null and a.state in ('closed', 'evaluated') then '响应及时，配合到位' end,
            case when a.acknowledged_at is not null and a.state in ('closed', 'evaluated') then a.acknowledged_at + interval '1 day' end
     from acted a
     left join members m on m.role = 'department' and m.department_id = a.department_id
     where a.acknowledged_at is null or a.acknowledged_at <= $1::timestamptz
     on conflict (whistle_id, department_id) do nothing`,
    [end.toISOString(), departments],
  );
}

/** A surname and given name for the demo's citizens (made up; chosen by a hash of the event). */
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '建国', '桂英', '志强'];

/**
 * The demo's complaints (接诉即办): every hotline and complaint case gets a citizen (a made-up
 * name and phone); where it was dispatched, a contact deadline from its first dispatch and,
 * mostly, a contact before it (some late, a few never); where it was closed, the citizen's
 * rating an hour or two later, more often satisfied with some departments than others. Pseudo-
 * random by a hash of the case's event, so the same demo gives the same complaints.
 */
async function loadDemoComplaints(client: SqlClient, end: Date): Promise<void> {
  await client.query(
    `with c as (
       select c.id, c.category, c.severity, ('x' || substr(md5(e.external_id), 1, 12))::bit(48)::bigint as h
       from cases c join events e on e.id = c.event_id
       where c.source in ('hotline', 'complaint')
     )
     insert into case_complainants (case_id, name, phone, contact_deadline_at, contacted_at, contacted_by_name, contact_note)
     select c.id,
            substr($1, 1 + (c.h % char_length($1))::int, 1) || ($2::text[])[1 + ((c.h / 31) % array_length($2::text[], 1))::int],
            '1' || (array['35', '38', '39', '52', '58', '77', '86', '88'])[1 + ((c.h / 7) % 8)::int] || lpad(((c.h / 101) % 100000000)::text, 8, '0'),
            dl.deadline,
            case when dl.deadline is null or (c.h / 13) % 20 = 0 then null
                 when (c.h / 13) % 20 < 3 then least(dl.deadline + make_interval(mins => 30 + ((c.h / 17) % 600)::int), $3::timestamptz)
                 else dl.dispatched_at + (dl.deadline - dl.dispatched_at) * (((c.h / 17) % 90) / 100.0 + 0.05) end,
            case when dl.deadline is not null and (c.h / 13) % 20 <> 0 then coalesce(m.display_name, '') end,
            case when dl.deadline is not null and (c.h / 13) % 20 <> 0 then '已电话联系诉求人，说明处理安排' end
     from c
     left join lateral (
       select t.at as dispatched_at, add_working_hours(t.at, case_stage_hours(c.category, c.severity, 'contact')) as deadline, t.department_id
       from case_trace t where t.case_id = c.id and t.action = 'dispatch' order by t.at, t.id limit 1
     ) dl on true
     left join members m on m.role = 'department' and m.department_id = dl.department_id`,
    [SURNAMES, GIVEN, end.toISOString()],
  );
  // Contacts the demo placed after its end have not happened yet.
  await client.query(
    `update case_complainants set contacted_at = null, contacted_by_name = null, contact_note = null where contacted_at > $1::timestamptz`,
    [end.toISOString()],
  );
  await client.query(
    `with closed as (
       select c.id, c.department_id, ('x' || substr(md5(e.external_id || 'rating'), 1, 12))::bit(48)::bigint as h,
              (select max(t.at) from case_trace t where t.case_id = c.id and t.to_state = 'closed') as closed_at,
              (select max(t.id) from case_trace t where t.case_id = c.id and t.to_state = 'closed') as closing
       from cases c join events e on e.id = c.event_id join case_complainants k on k.case_id = c.id
       where c.state in ('closed', 'evaluated')
     ), drawn as (
       select closed.*, (h % 1000) / 1000.0 + 0.04 * coalesce(array_position($2::text[], department_id), 0) as u from closed
     )
     insert into complaint_ratings (case_id, closing_trace_id, rating, solved, note, rated_by, rated_by_name, rated_at)
     select d.id, d.closing,
            case when d.u < 0.72 then 'satisfied' when d.u < 0.9 then 'basically_satisfied' else 'dissatisfied' end,
            d.u < 0.72 or (d.u < 0.9 and (d.h / 1000) % 5 <> 0) or (d.u >= 0.9 and (d.h / 1000) % 3 = 0),
            case when d.u < 0.72 then '回访：群众表示满意' when d.u < 0.9 then '回访：基本满意' else '回访：问题仍未彻底解决' end,
            $1::uuid, coalesce((select m.display_name from members m where m.user_id = $1::uuid), ''),
            least(d.closed_at + make_interval(mins => 30 + ((d.h / 7) % 120)::int), $3::timestamptz)
     from drawn d where d.closed_at is not null`,
    [member('command'), DEMO_DEPARTMENTS.map((d) => d.id), end.toISOString()],
  );
}
