-- Issue 12 (refresh planning): whether the plan keeps each account warm now, and the pause of
-- warm refreshes after a 429 from eBay's token endpoint (shared by every replica). Adds a column
-- with a default (every account starts warm: a small deployment behaves as before) and a table.
ALTER TABLE "ebay_accounts" ADD COLUMN "refresh_warm" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE TABLE "ebay_refresh_pauses" (
	"grant_type" text PRIMARY KEY NOT NULL,
	"paused_until" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"paused_at" timestamp with time zone NOT NULL
);
