DROP INDEX "ebay_accounts_org_idx";--> statement-breakpoint
CREATE INDEX "ebay_tokens_failing_idx" ON "ebay_tokens" USING btree ("account_id") WHERE last_refresh_success = false and consecutive_failures > 0;--> statement-breakpoint
CREATE INDEX "ebay_accounts_org_idx" ON "ebay_accounts" USING btree ("org_id","house_name","id","environment","status");--> statement-breakpoint
-- The Workers page's search (`ilike '%term%'` on house name, eBay username and user id) through a
-- trigram index where pg_trgm can be had: a trusted extension on PostgreSQL 13+, in contrib.
-- PGlite ships it only as a separately loaded extension, and a role may lack CREATE on the
-- database: then the search scans the org's accounts as before, and the migration still succeeds.
-- Not in schema.ts because it is conditional; to add it later by hand, run the two statements inside.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS "ebay_accounts_search_trgm_idx" ON "ebay_accounts"
    USING gin ("house_name" gin_trgm_ops, "ebay_username" gin_trgm_ops, "ebay_user_id" gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'ebay_accounts_search_trgm_idx not created (%): account search scans instead', SQLERRM;
END $$;
