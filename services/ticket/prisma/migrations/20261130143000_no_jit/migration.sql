-- No JIT compilation in this database's sessions. The searches and lists over a million tickets cost enough for
-- PostgreSQL to compile them (jit_above_cost), and compiling took 10-85 ms of a 250-340 ms search every time,
-- never paid back by a query that runs once. Sessions opened after this migration (the service starts after
-- migrating) run without it. ALTER DATABASE needs the migrating role to own the database, as it does when the
-- database was created for it.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;
