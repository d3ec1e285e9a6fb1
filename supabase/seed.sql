-- Seed for a local Supabase stack (`supabase db reset`): the four demo users, one per role,
-- with the same ids the embedded demo uses, password "demo-password".
-- Sign in as admin@demo.gridatlas.local, command@…, worker@…, planner@….
-- The demo district itself (cells, people, events …) is loaded with
--   npm run cli -- load-demo --database-url "$SUPABASE_DB_URL"
-- Runs only where Supabase Auth's tables exist; does nothing on plain PostgreSQL.

do $$
declare
  u record;
begin
  if to_regclass('auth.users') is null then
    return;
  end if;
  for u in
    select * from (values
      ('00000000-0000-4000-8000-000000000001'::uuid, 'admin', '张敏'),
      ('00000000-0000-4000-8000-000000000002'::uuid, 'command', '李强'),
      ('00000000-0000-4000-8000-000000000003'::uuid, 'worker', '王芳'),
      ('00000000-0000-4000-8000-000000000004'::uuid, 'planner', '陈静')
    ) as t(id, role, display_name)
  loop
    insert into auth.users (
      instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
      confirmation_token, email_change, email_change_token_new, recovery_token
    ) values (
      '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated',
      u.role || '@demo.gridatlas.local', extensions.crypt('demo-password', extensions.gen_salt('bf')), now(),
      '{"provider":"email","providers":["email"]}', jsonb_build_object('display_name', u.display_name), now(), now(),
      '', '', '', ''
    ) on conflict (id) do nothing;
    insert into auth.identities (id, user_id, provider_id, provider, identity_data, last_sign_in_at, created_at, updated_at)
    values (
      u.id, u.id, u.id::text, 'email',
      jsonb_build_object('sub', u.id::text, 'email', u.role || '@demo.gridatlas.local', 'email_verified', true),
      now(), now(), now()
    ) on conflict do nothing;
    insert into public.members (user_id, role, display_name) values (u.id, u.role, u.display_name)
    on conflict (user_id) do update set role = excluded.role, display_name = excluded.display_name;
  end loop;
end
$$;
