-- The rate-limit counters are written on every /api/v1 request and every counted login; as an
-- unlogged table their upserts write no WAL, so those commits do not wait for a WAL flush
-- (docs/PERFORMANCE.md, benchmark 8). The cost: after a crash of PostgreSQL the table starts
-- empty, and a standby does not have it, so open windows start again there — a limit of N per
-- minute may then let up to 2N through in that one minute. Works on PGlite too.
ALTER TABLE "rate_limits" SET UNLOGGED;
