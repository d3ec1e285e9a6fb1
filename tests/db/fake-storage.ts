import type { SqlClient } from '../../src/data/sql-client';

/**
 * The part of Supabase Storage's schema the project touches (storage.buckets, storage.objects with
 * row level security, as a hosted project has them), so that the case-photo policies and checks
 * run against the same shapes here. Bytes are not kept in the database, as on Supabase.
 */
const STORAGE_SCHEMA = `
  create schema storage;
  grant usage on schema storage to anon, authenticated, service_role;
  create table storage.buckets (
    id text primary key, name text not null unique, owner uuid, public boolean default false,
    file_size_limit bigint, allowed_mime_types text[], created_at timestamptz default now(), updated_at timestamptz default now()
  );
  create table storage.objects (
    id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id), name text, owner uuid,
    owner_id text, metadata jsonb, version text, path_tokens text[] generated always as (string_to_array(name, '/')) stored,
    created_at timestamptz default now(), updated_at timestamptz default now(), last_accessed_at timestamptz default now(),
    unique (bucket_id, name)
  );
  alter table storage.buckets enable row level security;
  alter table storage.objects enable row level security;
  grant select, insert, update, delete on storage.buckets, storage.objects to anon, authenticated, service_role;
`;

/** Gives the database a Storage schema like Supabase's and installs the case-photo bucket and policies into it. */
export async function installFakeStorage(client: SqlClient): Promise<void> {
  await client.exec(STORAGE_SCHEMA);
  await client.exec('select install_case_photo_storage()');
}

/**
 * Records an upload as Storage does, as the signed-in user of the transaction (the insert policy
 * decides): the object's row with its size and kind. Throws when the policy refuses.
 */
export async function insertStorageObject(tx: SqlClient, bucket: string, name: string, size: number, mime: string): Promise<void> {
  await tx.query(
    `insert into storage.objects (bucket_id, name, owner, owner_id, metadata)
     values ($1, $2, auth.uid(), auth.uid()::text, jsonb_build_object('size', $3::integer, 'mimetype', $4::text))`,
    [bucket, name, size, mime],
  );
}
