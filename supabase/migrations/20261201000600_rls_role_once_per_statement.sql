-- Purpose: row security that costs once per statement, not once per row. Every policy that
--          asks app_role() now asks (select app_role()), which PostgreSQL evaluates once per
--          statement (an InitPlan) instead of calling the security-definer function for every
--          row: reading every cell's rule inputs as an administrator (20,000 events, 37,500
--          entities) took seconds. The same rewrite Supabase advises for auth.uid() in policies.
--          New policies should be written with (select app_role()) from the start.
-- Tables: policies on every table that has them (expressions only; who may do what is unchanged).
-- Destructive: nothing.

do $$
declare
  p record;
begin
  for p in
    select schemaname, tablename, policyname, qual, with_check from pg_policies
    where schemaname = 'public' and (qual like '%app_role()%' or with_check like '%app_role()%')
  loop
    if p.qual like '%app_role()%' then
      execute format('alter policy %I on %I.%I using (%s)', p.policyname, p.schemaname, p.tablename,
        replace(p.qual, 'app_role()', '(select app_role())'));
    end if;
    if p.with_check like '%app_role()%' then
      execute format('alter policy %I on %I.%I with check (%s)', p.policyname, p.schemaname, p.tablename,
        replace(p.with_check, 'app_role()', '(select app_role())'));
    end if;
  end loop;
end
$$;
