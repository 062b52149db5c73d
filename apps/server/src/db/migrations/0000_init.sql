CREATE TABLE "background_workers" (
	"name" text PRIMARY KEY NOT NULL,
	"interval_seconds" integer NOT NULL,
	"last_started_at" timestamp with time zone,
	"last_finished_at" timestamp with time zone,
	"last_status" text,
	"last_error" text,
	"last_summary" jsonb,
	"instance_id" text
);
--> statement-breakpoint
CREATE TABLE "ebay_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"environment" text NOT NULL,
	"house_name" text NOT NULL,
	"ebay_user_id" text NOT NULL,
	"ebay_username" text,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ebay_connect_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"account_id" uuid,
	"environment" text,
	"action" text NOT NULL,
	"source" text NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"error" jsonb,
	"summary" jsonb,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ebay_token_refresh_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"success" boolean NOT NULL,
	"error_code" text,
	"error_message" text,
	"triggered_by" text NOT NULL,
	"old_access_expires_at" timestamp with time zone,
	"new_access_expires_at" timestamp with time zone,
	"duration_ms" integer NOT NULL,
	"connect_log_id" bigint
);
--> statement-breakpoint
CREATE TABLE "ebay_tokens" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"access_token" text,
	"access_expires_at" timestamp with time zone,
	"refresh_token" text NOT NULL,
	"refresh_expires_at" timestamp with time zone,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_refresh_at" timestamp with time zone,
	"last_refresh_success" boolean,
	"last_error_code" text,
	"last_error_message" text,
	"jitter_seconds" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oauth_states" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" text NOT NULL,
	"environment" text NOT NULL,
	"house_name" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orgs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orgs_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('admin', 'viewer'))
);
--> statement-breakpoint
ALTER TABLE "ebay_accounts" ADD CONSTRAINT "ebay_accounts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ebay_connect_logs" ADD CONSTRAINT "ebay_connect_logs_account_id_ebay_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ebay_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ebay_token_refresh_logs" ADD CONSTRAINT "ebay_token_refresh_logs_account_id_ebay_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ebay_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ebay_tokens" ADD CONSTRAINT "ebay_tokens_account_id_ebay_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ebay_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ebay_accounts_org_env_user_uq" ON "ebay_accounts" USING btree ("org_id","environment","ebay_user_id");--> statement-breakpoint
CREATE INDEX "ebay_accounts_org_idx" ON "ebay_accounts" USING btree ("org_id","house_name");--> statement-breakpoint
CREATE INDEX "connect_logs_org_env_id_idx" ON "ebay_connect_logs" USING btree ("org_id","environment","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "connect_logs_org_id_idx" ON "ebay_connect_logs" USING btree ("org_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "connect_logs_account_idx" ON "ebay_connect_logs" USING btree ("account_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "connect_logs_created_idx" ON "ebay_connect_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "refresh_logs_account_idx" ON "ebay_token_refresh_logs" USING btree ("account_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "refresh_logs_started_idx" ON "ebay_token_refresh_logs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "ebay_tokens_due_idx" ON "ebay_tokens" USING btree ("access_expires_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");