CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"region_code" integer NOT NULL,
	"period" varchar(7) NOT NULL,
	"trigger" varchar(12) NOT NULL,
	"generated_by" text NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"figures" jsonb NOT NULL,
	"figures_sha256" varchar(64) NOT NULL,
	"html" text NOT NULL,
	"pdf" "bytea"
);
--> statement-breakpoint
CREATE INDEX "reports_region_period_idx" ON "reports" USING btree ("chain_id","region_code","period","generated_at");--> statement-breakpoint
CREATE INDEX "reports_generated_at_idx" ON "reports" USING btree ("generated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_scheduled_uq" ON "reports" USING btree ("chain_id","region_code","period") WHERE "reports"."trigger" = 'scheduled';