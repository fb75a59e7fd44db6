-- No JIT compilation in this database's sessions. The reports grouped by client, priority, assignee or team count
-- a period's ticket rows, which costs enough over a year of a million tickets for PostgreSQL to compile the query
-- (jit_above_cost): compiling took 40-50 ms of a 0.9 s query every time (measured 2026-12-04), never paid back by a
-- query that runs once. As in the ticket service (20261130143000_no_jit).
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;
