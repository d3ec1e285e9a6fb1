-- Purpose: photos on cases (issue 23). A report and every later step of a case may carry up to six
--          photos, resized in the browser before they are sent. They are part of the step: the
--          trace row and its photos are written in one transaction, and like the trace they are
--          append-only for everyone. The embedded database keeps a photo's bytes in the row; on
--          Supabase the browser uploads the photo to Storage (bucket case-photos, under
--          uploads/<the user's id>/) and the step names the uploaded file, which the database
--          checks exists, is the user's own and is an image of the allowed kinds and size.
--   * Whoever reads a case reads its photos (the case's policies decide), in the database and in
--     Storage alike; nobody writes them but the case's writers below.
--   * report_case, report_complaint and transition_case take the photos as a last argument
--     (p_photos, a JSON list, empty by default): the functions before this migration are kept
--     under new names (…_without_photos), internal, and the new ones call them and then store
--     the photos against the step just written, so every caller (rate_complaint, Open311) keeps
--     working unchanged.
-- Tables: case_photos (new); on Supabase also the Storage bucket case-photos and its policies.
-- Functions: add_case_photos, case_photos, case_photo_data, case_photo_upload_allowed,
--            case_photo_readable, install_case_photo_storage (new); report_case, report_complaint,
--            transition_case (new signatures with p_photos); report_case_without_photos,
--            report_complaint_without_photos, transition_case_without_photos (the old ones, renamed).
-- Destructive: none.

create table case_photos (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id),
  trace_id bigint not null references case_trace (id),
  place smallint not null check (place between 1 and 6),
  name text not null check (char_length(name) between 1 and 200),
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp')),
  width integer not null check (width between 1 and 4096),
  height integer not null check (height between 1 and 4096),
  size_bytes integer not null check (size_bytes between 1 and 2097152),
  bytes bytea,
  storage_path text unique,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  constraint case_photos_bytes_or_storage check (num_nonnulls(bytes, storage_path) = 1),
  constraint case_photos_bytes_size check (bytes is null or length(bytes) = size_bytes)
);
comment on table case_photos is
  'The photos of a case, each with the step (trace row) it came with: a report or a later step. The bytes are in the row (embedded database) or in Supabase Storage (bucket case-photos, storage_path). Append-only; written only with the step, by report_case, report_complaint and transition_case.';
comment on column case_photos.place is 'The photo''s place among the photos of its step, from 1.';
comment on column case_photos.bytes is 'The image itself when the database keeps it (the embedded database); null when it is in Storage.';
comment on column case_photos.storage_path is 'The object''s name in the Storage bucket case-photos (uploads/<uploader>/<uuid>.<ext>); null when the bytes are in the row.';
comment on column case_photos.width is 'Pixels across, as sent by the browser that resized it (for the layout of the thumbnails).';
create unique index case_photos_step_idx on case_photos (case_id, trace_id, place);
create trigger case_photos_append_only before update or delete on case_photos
  for each row execute function history_is_append_only();
alter table case_photos enable row level security;
grant select on case_photos to authenticated;
-- The subquery runs under the case's policies: who reads the case reads its photos.
create policy "who reads a case sees its photos" on case_photos for select to authenticated
  using (exists (select 1 from cases c where c.id = case_photos.case_id));

create function add_case_photos(p_case uuid, p_trace bigint, p_photos jsonb) returns integer
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  photo jsonb;
  i integer := 0;
  v_name text;
  v_mime text;
  v_width integer;
  v_height integer;
  v_data bytea;
  v_path text;
  v_size integer;
  v_stored_mime text;
  v_ext text;
begin
  if p_photos is null or p_photos = 'null'::jsonb then
    return 0;
  end if;
  if jsonb_typeof(p_photos) <> 'array' then
    raise exception using errcode = '22023', message = 'the photos are a list';
  end if;
  if jsonb_array_length(p_photos) > 6 then
    raise exception using errcode = '22023', message = format('a step takes at most 6 photos, not %s', jsonb_array_length(p_photos));
  end if;
  for photo in select value from jsonb_array_elements(p_photos) loop
    i := i + 1;
    if jsonb_typeof(photo) <> 'object' then
      raise exception using errcode = '22023', message = format('photo %s: not a photo (an object with its kind, size and data or path)', i);
    end if;
    v_name := coalesce(nullif(btrim(photo ->> 'name'), ''), format('photo %s', i));
    if char_length(v_name) > 200 then
      raise exception using errcode = '22023', message = format('photo %s: the name is longer than 200 characters', i);
    end if;
    v_mime := photo ->> 'mime';
    if v_mime is null or v_mime not in ('image/jpeg', 'image/png', 'image/webp') then
      raise exception using errcode = '22023',
        message = format('photo %s: "%s" is not a kind of photo taken here (image/jpeg, image/png or image/webp)', i, coalesce(v_mime, 'nothing'));
    end if;
    -- Checked as text first, so that no cast fails with a message that names nothing.
    v_width := case when coalesce(photo ->> 'width', '') ~ '^[0-9]{1,4}$' then (photo ->> 'width')::integer end;
    v_height := case when coalesce(photo ->> 'height', '') ~ '^[0-9]{1,4}$' then (photo ->> 'height')::integer end;
    if v_width is null or v_height is null or v_width not between 1 and 4096 or v_height not between 1 and 4096 then
      raise exception using errcode = '22023',
        message = format('photo %s: width and height are whole pixels from 1 to 4096, not %s × %s', i,
                         coalesce(photo ->> 'width', 'nothing'), coalesce(photo ->> 'height', 'nothing'));
    end if;
    if (photo ? 'data') = (photo ? 'path') then
      raise exception using errcode = '22023', message = format('photo %s: give either its data (base64) or the path of its upload, one of them', i);
    end if;
    v_data := null;
    v_path := null;
    if photo ? 'data' then
      begin
        v_data := decode(photo ->> 'data', 'base64');
      exception when others then
        raise exception using errcode = '22023', message = format('photo %s: its data is not base64', i);
      end;
      v_size := coalesce(length(v_data), 0);
      if v_size = 0 then
        raise exception using errcode = '22023', message = format('photo %s: it is empty', i);
      end if;
      if not (case v_mime
                when 'image/jpeg' then substring(v_data from 1 for 3) = '\xffd8ff'::bytea
                when 'image/png' then substring(v_data from 1 for 8) = '\x89504e470d0a1a0a'::bytea
                else substring(v_data from 1 for 4) = '\x52494646'::bytea and substring(v_data from 9 for 4) = '\x57454250'::bytea
              end) then
        raise exception using errcode = '22023', message = format('photo %s: its bytes are not a %s image', i, v_mime);
      end if;
    else
      v_path := photo ->> 'path';
      v_ext := case v_mime when 'image/jpeg' then 'jpg' when 'image/png' then 'png' else 'webp' end;
      if auth.uid() is null
         or v_path !~ ('^uploads/' || auth.uid()::text || '/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.' || v_ext || '$') then
        raise exception using errcode = '22023',
          message = format('photo %s: "%s" is not an upload of yours (uploads/<your id>/<uuid>.%s)', i, coalesce(v_path, ''), v_ext);
      end if;
      if to_regclass('storage.objects') is null then
        raise exception using errcode = '22023', message = format('photo %s: this database keeps no uploaded files; send the photo''s data', i);
      end if;
      select (o.metadata ->> 'size')::integer, o.metadata ->> 'mimetype' into v_size, v_stored_mime
      from storage.objects o where o.bucket_id = 'case-photos' and o.name = v_path;
      if not found then
        raise exception using errcode = '22023', message = format('photo %s: nothing was uploaded at %s', i, v_path);
      end if;
      if v_stored_mime is distinct from v_mime then
        raise exception using errcode = '22023', message = format('photo %s: the upload is %s, not %s', i, coalesce(v_stored_mime, 'of no kind'), v_mime);
      end if;
      if exists (select 1 from case_photos p where p.storage_path = v_path) then
        raise exception using errcode = '22023', message = format('photo %s: %s belongs to a step already', i, v_path);
      end if;
    end if;
    if v_size is null or v_size > 2097152 then
      raise exception using errcode = '22023',
        message = format('photo %s: %s MB is more than the 2 MB a photo may have', i, round(coalesce(v_size, 0) / 1048576.0, 1));
    end if;
    insert into case_photos (case_id, trace_id, place, name, mime, width, height, size_bytes, bytes, storage_path, created_by)
    values (p_case, p_trace, i, v_name, v_mime, v_width, v_height, v_size, v_data, v_path, auth.uid());
  end loop;
  return i;
end
$$;
comment on function add_case_photos(uuid, bigint, jsonb) is
  'Internal to the case writers: stores the photos of one step (a JSON list of at most 6 of {name, mime, width, height} with data in base64, or path of the user''s own upload in the Storage bucket case-photos), each checked (kind, bytes, size up to 2 MB, the upload present); errors name the photo by its place in the list.';
revoke all on function add_case_photos(uuid, bigint, jsonb) from public, anon, authenticated;

-- The writers before photos, kept under new names, internal.
alter function report_case(text, text, integer, text, double precision, double precision, uuid) rename to report_case_without_photos;
alter function report_complaint(text, text, integer, text, double precision, double precision, text, text)
  rename to report_complaint_without_photos;
alter function transition_case(uuid, text, text, text, integer) rename to transition_case_without_photos;
revoke all on function report_case_without_photos(text, text, integer, text, double precision, double precision, uuid) from public, anon, authenticated;
revoke all on function report_complaint_without_photos(text, text, integer, text, double precision, double precision, text, text)
  from public, anon, authenticated;
revoke all on function transition_case_without_photos(uuid, text, text, text, integer) from public, anon, authenticated;
comment on function report_case_without_photos(text, text, integer, text, double precision, double precision, uuid) is
  'Internal to report_case: reports a case at a position (admins and command anywhere, grid workers in their cells) with its first trace row, deadline and proposed department.';
comment on function report_complaint_without_photos(text, text, integer, text, double precision, double precision, text, text) is
  'Internal to report_complaint: reports a complaint (source hotline or complaint) as report_case does, with the citizen''s name and phone.';
comment on function transition_case_without_photos(uuid, text, text, text, integer) is
  'Internal to transition_case: takes a case one step of the state machine (case_actions) under a row lock, with its trace row and the next deadline.';

create function report_case(p_source text, p_category text, p_severity integer, p_description text, p_lon double precision,
                            p_lat double precision, p_event_id uuid default null, p_photos jsonb default '[]') returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  reported jsonb := report_case_without_photos(p_source, p_category, p_severity, p_description, p_lon, p_lat, p_event_id);
  new_case uuid := (reported ->> 'id')::uuid;
begin
  perform add_case_photos(new_case, (select max(t.id) from case_trace t where t.case_id = new_case), p_photos);
  return reported;
end
$$;
comment on function report_case(text, text, integer, text, double precision, double precision, uuid, jsonb) is
  'Reports a case at a position (admins and command anywhere, grid workers in their cells), optionally from an event, with up to 6 photos (see add_case_photos), in one transaction; returns its id, code, state, cell, version, deadline and proposed department.';
revoke all on function report_case(text, text, integer, text, double precision, double precision, uuid, jsonb) from public, anon;
grant execute on function report_case(text, text, integer, text, double precision, double precision, uuid, jsonb) to authenticated, service_role;

create function report_complaint(p_source text, p_category text, p_severity integer, p_description text, p_lon double precision,
                                 p_lat double precision, p_name text, p_phone text, p_photos jsonb default '[]') returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  reported jsonb := report_complaint_without_photos(p_source, p_category, p_severity, p_description, p_lon, p_lat, p_name, p_phone);
  new_case uuid := (reported ->> 'id')::uuid;
begin
  perform add_case_photos(new_case, (select max(t.id) from case_trace t where t.case_id = new_case), p_photos);
  return reported;
end
$$;
comment on function report_complaint(text, text, integer, text, double precision, double precision, text, text, jsonb) is
  'Reports a complaint (source hotline or complaint) as report_case does, with the citizen''s name and phone and up to 6 photos, in one transaction; returns report_case''s answer.';
revoke all on function report_complaint(text, text, integer, text, double precision, double precision, text, text, jsonb) from public, anon;
grant execute on function report_complaint(text, text, integer, text, double precision, double precision, text, text, jsonb)
  to authenticated, service_role;

create function transition_case(p_case uuid, p_action text, p_note text default '', p_department text default null,
                                p_expected_version integer default null, p_photos jsonb default '[]') returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
declare
  moved jsonb := transition_case_without_photos(p_case, p_action, p_note, p_department, p_expected_version);
begin
  -- The case is locked by the step until the transaction ends: the latest trace row is this step's.
  perform add_case_photos(p_case, (select max(t.id) from case_trace t where t.case_id = p_case), p_photos);
  return moved;
end
$$;
comment on function transition_case(uuid, text, text, text, integer, jsonb) is
  'Takes a case one step (case_actions: illegal steps refused naming the allowed ones; reasons and departments required where needed; a stale p_expected_version a conflict, 40001) with its trace row, the next deadline and up to 6 photos, in one transaction under a row lock.';
revoke all on function transition_case(uuid, text, text, text, integer, jsonb) from public, anon;
grant execute on function transition_case(uuid, text, text, text, integer, jsonb) to authenticated, service_role;

create function case_photos(p_case uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', p.id, 'step', (select count(*) from case_trace t where t.case_id = p.case_id and t.id < p.trace_id),
      'name', p.name, 'mime', p.mime, 'width', p.width, 'height', p.height, 'size', p.size_bytes,
      'storagePath', p.storage_path, 'createdAt', p.created_at) order by p.trace_id, p.place), '[]')
  from case_photos p where p.case_id = p_case
$$;
comment on function case_photos(uuid) is
  'The photos of a case the caller may read, without their bytes: id, step (the place of its trace row in the case''s trace, from 0), name, kind, pixels, size and, when in Storage, the path; in trace order.';
revoke all on function case_photos(uuid) from public, anon;
grant execute on function case_photos(uuid) to authenticated, service_role;

create function case_photo_data(p_id uuid) returns text
language sql stable
set search_path = public, extensions, pg_temp
as $$
  -- encode() breaks its base64 into lines of 76; the app takes it in one piece.
  select translate(encode(p.bytes, 'base64'), E'\n', '') from case_photos p where p.id = p_id
$$;
comment on function case_photo_data(uuid) is
  'The bytes of a photo kept in the database, in base64, when the caller may read its case; null otherwise (and for a photo in Storage).';
revoke all on function case_photo_data(uuid) from public, anon;
grant execute on function case_photo_data(uuid) to authenticated, service_role;

create function case_photo_upload_allowed(p_name text) returns boolean
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select auth.uid() is not null
     and app_role() in ('admin', 'command', 'worker', 'department')
     and coalesce(p_name, '') ~ ('^uploads/' || auth.uid()::text || '/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp)$')
$$;
comment on function case_photo_upload_allowed(text) is
  'Storage policy helper: a member who writes cases may upload a photo into their own folder of the case-photos bucket (uploads/<their id>/<uuid>.jpg|png|webp).';
revoke all on function case_photo_upload_allowed(text) from public, anon;
grant execute on function case_photo_upload_allowed(text) to authenticated, service_role;

create function case_photo_readable(p_name text) returns boolean
language sql stable
set search_path = public, extensions, pg_temp
as $$
  -- case_photos' policy decides: the photo of a case the caller may read; or the caller's own upload.
  select exists (select 1 from case_photos p where p.storage_path = p_name)
      or (auth.uid() is not null and coalesce(p_name, '') like 'uploads/' || auth.uid()::text || '/%')
$$;
comment on function case_photo_readable(text) is
  'Storage policy helper: an object of the case-photos bucket is readable by who reads the case it belongs to, and by its uploader.';
revoke all on function case_photo_readable(text) from public, anon;
grant execute on function case_photo_readable(text) to authenticated, service_role;

create function install_case_photo_storage() returns void
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
begin
  insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
  values ('case-photos', 'case-photos', false, 2097152, array['image/jpeg', 'image/png', 'image/webp'])
  on conflict (id) do nothing;
  drop policy if exists "case photos: members upload into their own folder" on storage.objects;
  create policy "case photos: members upload into their own folder" on storage.objects for insert to authenticated
    with check (bucket_id = 'case-photos' and public.case_photo_upload_allowed(name));
  drop policy if exists "case photos: who reads the case sees them" on storage.objects;
  create policy "case photos: who reads the case sees them" on storage.objects for select to authenticated
    using (bucket_id = 'case-photos' and public.case_photo_readable(name));
end
$$;
comment on function install_case_photo_storage() is
  'Makes the private Storage bucket case-photos (2 MB, JPEG, PNG or WebP) and its policies on storage.objects; run by this migration where Supabase Storage is present, and by whoever adds Storage later.';
revoke all on function install_case_photo_storage() from public, anon, authenticated;

do $$
begin
  if to_regclass('storage.objects') is not null and to_regclass('storage.buckets') is not null then
    perform install_case_photo_storage();
  end if;
end
$$;
