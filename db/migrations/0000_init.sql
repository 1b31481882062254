CREATE TABLE "blocks" (
	"chain_id" integer NOT NULL,
	"number" bigint NOT NULL,
	"hash" varchar(66) NOT NULL,
	"parent_hash" varchar(66) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	CONSTRAINT "blocks_chain_id_number_pk" PRIMARY KEY("chain_id","number")
);
--> statement-breakpoint
CREATE TABLE "cursors" (
	"chain_id" integer PRIMARY KEY NOT NULL,
	"indexed_block" bigint NOT NULL,
	"indexed_hash" varchar(66),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"tx_hash" varchar(66) NOT NULL,
	"tx_index" integer NOT NULL,
	"block_time" timestamp with time zone NOT NULL,
	"contract" varchar(32) NOT NULL,
	"address" varchar(42) NOT NULL,
	"event_name" varchar(32) NOT NULL,
	"args" jsonb NOT NULL,
	CONSTRAINT "events_chain_id_block_number_log_index_pk" PRIMARY KEY("chain_id","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "indexed_ranges" (
	"chain_id" integer NOT NULL,
	"from_block" bigint NOT NULL,
	"to_block" bigint NOT NULL,
	"event_count" integer NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indexed_ranges_chain_id_from_block_pk" PRIMARY KEY("chain_id","from_block")
);
--> statement-breakpoint
CREATE TABLE "indexer_health" (
	"chain_id" integer PRIMARY KEY NOT NULL,
	"head_block" bigint NOT NULL,
	"head_time" timestamp with time zone,
	"indexed_block" bigint NOT NULL,
	"indexed_time" timestamp with time zone,
	"lag_blocks" bigint NOT NULL,
	"lag_seconds" double precision NOT NULL,
	"events_per_second" double precision DEFAULT 0 NOT NULL,
	"block_interval_seconds" double precision,
	"failed_jobs" integer DEFAULT 0 NOT NULL,
	"retried_jobs" integer DEFAULT 0 NOT NULL,
	"reorgs" integer DEFAULT 0 NOT NULL,
	"rpc_last_ok_at" timestamp with time zone,
	"rpc_last_error" varchar(500),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" varchar(64) PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accesses" (
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"tx_hash" varchar(66) NOT NULL,
	"block_time" timestamp with time zone NOT NULL,
	"grant_id" varchar(66) NOT NULL,
	"dataset_id" varchar(66) NOT NULL,
	"accessor" varchar(42) NOT NULL,
	"owner" varchar(42),
	"category" integer NOT NULL,
	"sensitivity" smallint NOT NULL,
	"owner_region" integer NOT NULL,
	"accessor_region" integer NOT NULL,
	"mode" smallint NOT NULL,
	"purpose" integer NOT NULL,
	"record_count" integer NOT NULL,
	"payload_hash" varchar(66) NOT NULL,
	CONSTRAINT "accesses_chain_id_block_number_log_index_pk" PRIMARY KEY("chain_id","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"chain_id" integer NOT NULL,
	"case_id" varchar(66) NOT NULL,
	"org" varchar(42) NOT NULL,
	"region_code" integer NOT NULL,
	"item_code" integer NOT NULL,
	"channel" smallint NOT NULL,
	"orgs_involved" smallint NOT NULL,
	"duration_minutes" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"block_time" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_chain_id_case_id_pk" PRIMARY KEY("chain_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"chain_id" integer NOT NULL,
	"cert_hash" varchar(66) NOT NULL,
	"issuer" varchar(42),
	"cert_type" integer,
	"region_code" integer,
	"issued_block" bigint,
	"issued_log_index" integer,
	"issued_tx" varchar(66),
	"revoked" boolean DEFAULT false NOT NULL,
	"revoked_block" bigint,
	"revoked_log_index" integer,
	"revoked_tx" varchar(66),
	"verification_count" integer DEFAULT 0 NOT NULL,
	"last_block" bigint NOT NULL,
	CONSTRAINT "certificates_chain_id_cert_hash_pk" PRIMARY KEY("chain_id","cert_hash")
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"chain_id" integer NOT NULL,
	"dataset_id" varchar(66) NOT NULL,
	"owner" varchar(42) NOT NULL,
	"category" integer NOT NULL,
	"sensitivity" smallint NOT NULL,
	"title" text NOT NULL,
	"registered_block" bigint NOT NULL,
	"last_block" bigint NOT NULL,
	CONSTRAINT "datasets_chain_id_dataset_id_pk" PRIMARY KEY("chain_id","dataset_id")
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"chain_id" integer NOT NULL,
	"grant_id" varchar(66) NOT NULL,
	"dataset_id" varchar(66) NOT NULL,
	"grantee" varchar(42) NOT NULL,
	"grantor" varchar(42) NOT NULL,
	"purpose" integer NOT NULL,
	"modes" smallint NOT NULL,
	"valid_until" bigint NOT NULL,
	"granted_block" bigint NOT NULL,
	"granted_log_index" integer NOT NULL,
	"granted_tx" varchar(66) NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"revoked" boolean DEFAULT false NOT NULL,
	"revoked_by" varchar(42),
	"revoked_block" bigint,
	"revoked_log_index" integer,
	"revoked_tx" varchar(66),
	"access_count" integer DEFAULT 0 NOT NULL,
	"last_block" bigint NOT NULL,
	CONSTRAINT "grants_chain_id_grant_id_pk" PRIMARY KEY("chain_id","grant_id")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"chain_id" integer NOT NULL,
	"invoice_hash" varchar(66) NOT NULL,
	"issuer" varchar(42),
	"region_code" integer,
	"amount_fen" numeric(78, 0),
	"issued_block" bigint,
	"issued_log_index" integer,
	"issued_tx" varchar(66),
	"reimbursed_fen" numeric(78, 0) NOT NULL,
	"reimbursement_count" integer DEFAULT 0 NOT NULL,
	"first_reimbursed_block" bigint,
	"first_reimbursed_log_index" integer,
	"first_reimbursed_tx" varchar(66),
	"voided" boolean DEFAULT false NOT NULL,
	"voided_block" bigint,
	"voided_log_index" integer,
	"voided_tx" varchar(66),
	"last_block" bigint NOT NULL,
	CONSTRAINT "invoices_chain_id_invoice_hash_pk" PRIMARY KEY("chain_id","invoice_hash")
);
--> statement-breakpoint
CREATE TABLE "orgs" (
	"chain_id" integer NOT NULL,
	"address" varchar(42) NOT NULL,
	"org_code" varchar(66) NOT NULL,
	"region_code" integer NOT NULL,
	"kind" smallint NOT NULL,
	"name" text NOT NULL,
	"active" boolean NOT NULL,
	"registered_block" bigint NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"registered_log_index" integer NOT NULL,
	"registered_tx" varchar(66) NOT NULL,
	"deactivated_block" bigint,
	"deactivated_log_index" integer,
	"deactivated_tx" varchar(66),
	"last_block" bigint NOT NULL,
	CONSTRAINT "orgs_chain_id_address_pk" PRIMARY KEY("chain_id","address")
);
--> statement-breakpoint
CREATE TABLE "service_items" (
	"chain_id" integer NOT NULL,
	"region_code" integer NOT NULL,
	"item_code" integer NOT NULL,
	"online_level" smallint NOT NULL,
	"listed_block" bigint NOT NULL,
	"listed_day" varchar(10) NOT NULL,
	"last_block" bigint NOT NULL,
	CONSTRAINT "service_items_chain_id_region_code_item_code_pk" PRIMARY KEY("chain_id","region_code","item_code")
);
--> statement-breakpoint
CREATE TABLE "access_daily" (
	"chain_id" integer NOT NULL,
	"day" varchar(10) NOT NULL,
	"accessor" varchar(42) NOT NULL,
	"dataset_id" varchar(66) NOT NULL,
	"accesses" integer NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "access_daily_chain_id_accessor_dataset_id_day_pk" PRIMARY KEY("chain_id","accessor","dataset_id","day")
);
--> statement-breakpoint
CREATE TABLE "adoption_daily" (
	"chain_id" integer NOT NULL,
	"day" varchar(10) NOT NULL,
	"region_code" integer NOT NULL,
	"cases_total" integer NOT NULL,
	"cases_window" integer NOT NULL,
	"cases_web" integer NOT NULL,
	"cases_mobile" integer NOT NULL,
	"joint_cases" integer NOT NULL,
	"duration_minutes_total" bigint NOT NULL,
	CONSTRAINT "adoption_daily_chain_id_day_region_code_pk" PRIMARY KEY("chain_id","day","region_code")
);
--> statement-breakpoint
CREATE TABLE "events_daily" (
	"chain_id" integer NOT NULL,
	"day" varchar(10) NOT NULL,
	"event_name" varchar(32) NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "events_daily_chain_id_day_event_name_pk" PRIMARY KEY("chain_id","day","event_name")
);
--> statement-breakpoint
CREATE TABLE "flow_daily" (
	"chain_id" integer NOT NULL,
	"day" varchar(10) NOT NULL,
	"owner_org" varchar(42) NOT NULL,
	"accessor_org" varchar(42) NOT NULL,
	"category" integer NOT NULL,
	"sensitivity" smallint NOT NULL,
	"mode" smallint NOT NULL,
	"owner_region" integer NOT NULL,
	"accessor_region" integer NOT NULL,
	"accesses" integer NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "flow_daily_chain_id_day_owner_org_accessor_org_category_sensitivity_mode_pk" PRIMARY KEY("chain_id","day","owner_org","accessor_org","category","sensitivity","mode")
);
--> statement-breakpoint
CREATE TABLE "items_daily" (
	"chain_id" integer NOT NULL,
	"day" varchar(10) NOT NULL,
	"region_code" integer NOT NULL,
	"online_level" smallint NOT NULL,
	"listings" integer NOT NULL,
	CONSTRAINT "items_daily_chain_id_day_region_code_online_level_pk" PRIMARY KEY("chain_id","day","region_code","online_level")
);
--> statement-breakpoint
CREATE TABLE "incident_activity" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"actor" text NOT NULL,
	"action" varchar(24) NOT NULL,
	"from_status" varchar(16),
	"to_status" varchar(16),
	"comment" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_evidence" (
	"incident_id" integer NOT NULL,
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"tx_hash" varchar(66) NOT NULL,
	CONSTRAINT "incident_evidence_incident_id_block_number_log_index_pk" PRIMARY KEY("incident_id","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"rule" varchar(40) NOT NULL,
	"finding_key" varchar(200) NOT NULL,
	"severity" varchar(8) NOT NULL,
	"status" varchar(16) DEFAULT 'open' NOT NULL,
	"region_code" integer NOT NULL,
	"org_address" varchar(42),
	"summary" text NOT NULL,
	"evidence_block" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assignee" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_activity" ADD CONSTRAINT "incident_activity_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_evidence" ADD CONSTRAINT "incident_evidence_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_name_block_idx" ON "events" USING btree ("chain_id","event_name","block_number");--> statement-breakpoint
CREATE INDEX "events_tx_idx" ON "events" USING btree ("tx_hash");--> statement-breakpoint
CREATE INDEX "indexed_ranges_time_idx" ON "indexed_ranges" USING btree ("committed_at");--> statement-breakpoint
CREATE INDEX "accesses_accessor_time_idx" ON "accesses" USING btree ("chain_id","accessor","block_time");--> statement-breakpoint
CREATE INDEX "accesses_owner_time_idx" ON "accesses" USING btree ("chain_id","owner","block_time");--> statement-breakpoint
CREATE INDEX "accesses_dataset_time_idx" ON "accesses" USING btree ("chain_id","dataset_id","block_time");--> statement-breakpoint
CREATE INDEX "accesses_grant_idx" ON "accesses" USING btree ("chain_id","grant_id");--> statement-breakpoint
CREATE INDEX "accesses_payload_idx" ON "accesses" USING btree ("payload_hash");--> statement-breakpoint
CREATE INDEX "cases_region_time_idx" ON "cases" USING btree ("chain_id","region_code","block_time");--> statement-breakpoint
CREATE INDEX "cases_block_idx" ON "cases" USING btree ("chain_id","block_number");--> statement-breakpoint
CREATE INDEX "datasets_owner_idx" ON "datasets" USING btree ("chain_id","owner");--> statement-breakpoint
CREATE INDEX "grants_dataset_idx" ON "grants" USING btree ("chain_id","dataset_id");--> statement-breakpoint
CREATE INDEX "grants_grantee_idx" ON "grants" USING btree ("chain_id","grantee");--> statement-breakpoint
CREATE INDEX "invoices_issuer_idx" ON "invoices" USING btree ("chain_id","issuer");--> statement-breakpoint
CREATE INDEX "orgs_region_idx" ON "orgs" USING btree ("chain_id","region_code");--> statement-breakpoint
CREATE INDEX "access_daily_day_idx" ON "access_daily" USING btree ("chain_id","day");--> statement-breakpoint
CREATE INDEX "adoption_daily_day_idx" ON "adoption_daily" USING btree ("chain_id","day");--> statement-breakpoint
CREATE INDEX "flow_daily_day_idx" ON "flow_daily" USING btree ("chain_id","day");--> statement-breakpoint
CREATE INDEX "flow_daily_owner_region_idx" ON "flow_daily" USING btree ("chain_id","owner_region","day");--> statement-breakpoint
CREATE INDEX "flow_daily_accessor_region_idx" ON "flow_daily" USING btree ("chain_id","accessor_region","day");--> statement-breakpoint
CREATE INDEX "incident_activity_incident_idx" ON "incident_activity" USING btree ("incident_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_finding_uq" ON "incidents" USING btree ("chain_id","rule","finding_key");--> statement-breakpoint
CREATE INDEX "incidents_region_idx" ON "incidents" USING btree ("chain_id","region_code","detected_at");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","severity");--> statement-breakpoint
CREATE INDEX "incidents_evidence_block_idx" ON "incidents" USING btree ("chain_id","evidence_block");