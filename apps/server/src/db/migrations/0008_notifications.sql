-- Issue 13: the application access token (client-credentials grant) and eBay's Marketplace
-- Account Deletion notifications. Only new tables: runs on a database that already holds data.
-- The account status `deleted` needs no change here (status has no CHECK constraint).
CREATE TABLE "ebay_app_tokens" (
	"environment" text PRIMARY KEY NOT NULL,
	"access_token" text,
	"scopes" text,
	"expires_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ebay_app_tokens_environment_check" CHECK ("ebay_app_tokens"."environment" in ('sandbox', 'production'))
);--> statement-breakpoint
CREATE TABLE "ebay_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notification_id" text NOT NULL,
	"topic" text NOT NULL,
	"environment" text NOT NULL,
	"user_id_sha256" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"accounts_affected" integer DEFAULT 0 NOT NULL,
	"outcome" text NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "ebay_notifications_notification_id_uq" ON "ebay_notifications" USING btree ("notification_id");--> statement-breakpoint
CREATE INDEX "ebay_notifications_received_idx" ON "ebay_notifications" USING btree ("received_at");--> statement-breakpoint
CREATE TABLE "ebay_notification_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"http_status" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "ebay_notification_failures_created_idx" ON "ebay_notification_failures" USING btree ("created_at");
