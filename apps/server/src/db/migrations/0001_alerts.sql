CREATE TABLE "alert_states" (
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"state" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_event_id" text,
	"last_event_type" text,
	"delivery_status" text,
	"delivery_attempts" integer DEFAULT 0 NOT NULL,
	"last_delivery_at" timestamp with time zone,
	"last_delivery_error" text,
	CONSTRAINT "alert_states_subject_kind_subject_id_pk" PRIMARY KEY("subject_kind","subject_id")
);
