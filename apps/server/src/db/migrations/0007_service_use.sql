-- Shared by issues 11 (service access) and 12 (refresh planning): which accounts services use,
-- and each account's refresh policy. Only adds nullable columns, so it runs on a database that
-- already holds data. The foreign key of last_used_key_id comes with the api_keys table.
ALTER TABLE "ebay_accounts" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ebay_accounts" ADD COLUMN "last_used_key_id" uuid;--> statement-breakpoint
ALTER TABLE "ebay_accounts" ADD COLUMN "refresh_policy" text;--> statement-breakpoint
ALTER TABLE "ebay_accounts" ADD CONSTRAINT "ebay_accounts_refresh_policy_check" CHECK ("ebay_accounts"."refresh_policy" in ('auto', 'warm', 'on_demand'));
