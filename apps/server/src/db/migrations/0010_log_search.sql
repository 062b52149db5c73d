-- The terminal's text search (`q` of terminal-logs): a case-insensitive substring of an entry's
-- action, error code and error message. One immutable function names that text, so the query
-- and the index agree; the house name and eBay username are searched through the accounts
-- (their trigram index of 0003).
CREATE OR REPLACE FUNCTION connect_log_search_text(action text, error jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT action || ' ' || coalesce(error ->> 'code', '') || ' ' || coalesce(error ->> 'message', '') $$;--> statement-breakpoint
-- A trigram index on that text where pg_trgm can be had (PostgreSQL contrib; PGlite loads it,
-- see db/client.ts). Without it the search reads the org's history newest first and the
-- migration still succeeds. Not in schema.ts because it is conditional; to add it later by
-- hand, run the two statements inside.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS "connect_logs_search_trgm_idx" ON "ebay_connect_logs"
    USING gin (connect_log_search_text("action", "error") gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'connect_logs_search_trgm_idx not created (%): terminal search scans instead', SQLERRM;
END $$;
