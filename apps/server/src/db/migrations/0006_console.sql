-- Issue 16 (operator console): users managed in the UI, reconnects bound to their account,
-- worker controls shared by replicas. Every statement only adds (nullable or defaulted columns,
-- new tables), so it runs on a database that already holds data.
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_change_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE TABLE "password_links" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"created_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_links_purpose_check" CHECK ("password_links"."purpose" in ('invite', 'reset'))
);--> statement-breakpoint
ALTER TABLE "password_links" ADD CONSTRAINT "password_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_links" ADD CONSTRAINT "password_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "password_links_user_uq" ON "password_links" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "oauth_states" ADD COLUMN "ebay_account_id" uuid;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_ebay_account_id_ebay_accounts_id_fk" FOREIGN KEY ("ebay_account_id") REFERENCES "public"."ebay_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_workers" ADD COLUMN "run_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "background_workers" ADD COLUMN "run_requested_by" text;--> statement-breakpoint
ALTER TABLE "background_workers" ADD COLUMN "run_requested_org_id" uuid;--> statement-breakpoint
ALTER TABLE "background_workers" ADD COLUMN "run_taken_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "background_workers" ADD COLUMN "run_taken_by" text;--> statement-breakpoint
CREATE TABLE "background_worker_instances" (
	"name" text NOT NULL,
	"instance_id" text NOT NULL,
	"interval_seconds" integer NOT NULL,
	"next_cycle_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "background_worker_instances_name_instance_id_pk" PRIMARY KEY("name","instance_id")
);
