-- Partitions the tables that grow without bound (responses, answers and both aggregates) by month, one
-- partition per calendar year plus a default one, on a PostgreSQL database migrated by `hailong migrate`.
-- Every row is kept; ids, sequences, primary keys, indexes, checks and foreign keys are carried over from
-- the tables as they are (read from the catalogue, so later migrations need no change here).
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f db/postgres/partition-by-month.sql
--
-- One transaction: stop the app first (it holds exclusive locks while rows are copied). Add next year's
-- partitions before the year begins, while the default partition holds none of its rows:
--   create table response_2028 partition of response for values from ('2028-01') to ('2029-01');
--   (the same for answer, item_aggregate and composite_aggregate)
-- Tested by tests/integration/postgres/partitioned.test.ts.
begin;

do $$
declare
  tables constant text[] := array['response', 'answer', 'item_aggregate', 'composite_aggregate'];
  t text;
  old text;
  r record;
  y int;
begin
  foreach t in array tables loop
    old := t || '_unpartitioned';
    execute format('alter table %I rename to %I', t, old);
    -- Free the index names (and so the key constraints' names) for the partitioned table; every name
    -- made here ends in _unpartitioned, which the definitions copied below drop again.
    for r in select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = old::regclass loop
      execute format('alter index %I rename to %I', r.relname, r.relname || '_unpartitioned');
    end loop;
    execute format('create table %I (like %I including defaults including constraints including storage) partition by range (period_month)', t, old);
    -- Identity of ids: the sequence now belongs to the new table (it would be dropped with the old one).
    for r in select s.relname as seq, a.attname as col from pg_depend d
        join pg_class s on s.oid = d.objid and s.relkind = 'S'
        join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
        where d.refobjid = old::regclass and d.deptype = 'a' loop
      execute format('alter sequence %I owned by %I.%I', r.seq, t, r.col);
    end loop;
    -- A partition per year that has rows, this year and next, and a default for anything else.
    for y in select distinct v from (
        select extract(year from now())::int as v union select extract(year from now())::int + 1
        union select distinct substr(period_month, 1, 4)::int from response_unpartitioned) years loop
      execute format('create table %I partition of %I for values from (%L) to (%L)', t || '_' || y, t, y || '-01', (y + 1) || '-01');
    end loop;
    execute format('create table %I partition of %I default', t || '_default', t);
    execute format('insert into %I select * from %I', t, old);
  end loop;

  -- Primary keys, unique keys and indexes, with their own names and definitions.
  foreach t in array tables loop
    old := t || '_unpartitioned';
    for r in select con.conname, pg_get_constraintdef(con.oid) as def from pg_constraint con
        where con.conrelid = old::regclass and con.contype in ('p', 'u') loop
      execute format('alter table %I add constraint %I %s', t, replace(r.conname, '_unpartitioned', ''), r.def);
    end loop;
    for r in select pg_get_indexdef(i.indexrelid) as def from pg_index i
        where i.indrelid = old::regclass and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid) loop
      execute replace(r.def, '_unpartitioned', '');
    end loop;
  end loop;

  -- Foreign keys last: each checked once over the copied rows. A reference to a renamed table points at
  -- the new one.
  foreach t in array tables loop
    old := t || '_unpartitioned';
    for r in select con.conname, pg_get_constraintdef(con.oid) as def from pg_constraint con
        where con.conrelid = old::regclass and con.contype = 'f' loop
      execute format('alter table %I add constraint %I %s', t, r.conname, replace(r.def, '_unpartitioned', ''));
    end loop;
  end loop;

  foreach t in array array['answer', 'response', 'item_aggregate', 'composite_aggregate'] loop
    execute format('drop table %I', t || '_unpartitioned');
  end loop;
end $$;

commit;
