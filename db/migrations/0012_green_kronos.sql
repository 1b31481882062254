CREATE TABLE "calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"working" boolean NOT NULL,
	"name" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"text" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"digest" varchar(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"answer_id" integer NOT NULL,
	"filename" text NOT NULL,
	"content_type" varchar(120) NOT NULL,
	"size" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"sm3" varchar(64) NOT NULL,
	"content" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_cases" (
	"incident_id" integer PRIMARY KEY NOT NULL,
	"responsible_org" varchar(42) NOT NULL,
	"responsible_region" integer NOT NULL,
	"responsible_source" varchar(12) NOT NULL,
	"stage" varchar(12) NOT NULL,
	"instructions" text NOT NULL,
	"handed_by" text NOT NULL,
	"handed_at" timestamp with time zone NOT NULL,
	"days" smallint NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"warn_at" timestamp with time zone NOT NULL,
	"signed_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_late" boolean,
	"supervising_region" integer,
	"escalation_level" smallint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_escalations" (
	"incident_id" integer NOT NULL,
	"level" smallint NOT NULL,
	"from_region" integer,
	"to_region" integer,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "supervision_escalations_incident_id_level_pk" PRIMARY KEY("incident_id","level")
);
--> statement-breakpoint
CREATE TABLE "supervision_notices" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"kind" varchar(12) NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"recipients" text[] NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "supervision_settings" (
	"id" smallint PRIMARY KEY NOT NULL,
	"deadline_high" smallint NOT NULL,
	"deadline_medium" smallint NOT NULL,
	"deadline_low" smallint NOT NULL,
	"warn_percent" smallint NOT NULL,
	"escalate_after_days" smallint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "org_address" varchar(42);--> statement-breakpoint
ALTER TABLE "supervision_answers" ADD CONSTRAINT "supervision_answers_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_attachments" ADD CONSTRAINT "supervision_attachments_answer_id_supervision_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."supervision_answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_cases" ADD CONSTRAINT "supervision_cases_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_escalations" ADD CONSTRAINT "supervision_escalations_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_notices" ADD CONSTRAINT "supervision_notices_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supervision_answers_incident_idx" ON "supervision_answers" USING btree ("incident_id","at");--> statement-breakpoint
CREATE INDEX "supervision_attachments_answer_idx" ON "supervision_attachments" USING btree ("answer_id");--> statement-breakpoint
CREATE INDEX "supervision_cases_org_idx" ON "supervision_cases" USING btree ("responsible_org","stage");--> statement-breakpoint
CREATE INDEX "supervision_cases_due_idx" ON "supervision_cases" USING btree ("stage","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "supervision_notices_uq" ON "supervision_notices" USING btree ("incident_id","kind","due_at");