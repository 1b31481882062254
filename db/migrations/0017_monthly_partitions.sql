-- Monthly partitions (Asia/Shanghai months of block time) for the tables that grow with the chain:
-- blocks, events, accesses, cases, incident_evidence. Converts an existing database in place: each
-- table is renamed away, recreated partitioned with the same columns, its rows moved, the old one
-- dropped. Runs in the migration's transaction: it applies whole or not at all. See db/partitions.ts.
CREATE TABLE "archived_months" (
	"month" varchar(7) PRIMARY KEY NOT NULL,
	"rows" jsonb NOT NULL,
	"manifest_sm3" varchar(64) NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- SECURITY DEFINER: the workers run as the runtime role, which may not create or attach tables;
-- this one function lets them add a month's partition (and nothing else) with the owner's rights.
CREATE OR REPLACE FUNCTION ensure_month_partition(parent text, month text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  part text;
  key text;
  first_day date;
  lo timestamptz;
  hi timestamptz;
BEGIN
  IF month IS NULL OR month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
    RAISE EXCEPTION 'a month is written YYYY-MM, got "%"', month;
  END IF;
  key := CASE parent
    WHEN 'blocks' THEN 'timestamp'
    WHEN 'events' THEN 'block_time'
    WHEN 'accesses' THEN 'block_time'
    WHEN 'cases' THEN 'block_time'
    WHEN 'incident_evidence' THEN 'block_time'
  END;
  IF key IS NULL THEN
    RAISE EXCEPTION '"%" is not a partitioned table', parent;
  END IF;
  part := parent || '_' || replace(month, '-', '_');
  -- Serialises creators across processes: CREATE TABLE IF NOT EXISTS alone may still race on the
  -- catalogue; under this lock the second caller simply finds the partition.
  PERFORM pg_advisory_xact_lock(727274019);
  IF to_regclass(format('public.%I', part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  first_day := (month || '-01')::date;
  lo := first_day::timestamp AT TIME ZONE 'Asia/Shanghai';
  hi := (first_day + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai';
  EXECUTE format('CREATE TABLE IF NOT EXISTS public.%I (LIKE public.%I INCLUDING DEFAULTS)', part, parent);
  -- Rows that waited in the default partition for this month move into it before it is attached.
  EXECUTE format(
    'WITH moved AS (DELETE FROM public.%I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO public.%I SELECT * FROM moved',
    parent || '_default', key, lo, key, hi, part);
  -- ATTACH locks the parent in SHARE UPDATE EXCLUSIVE mode only: reads and writes go on.
  EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
  RETURN true;
END
$$;
--> statement-breakpoint
ALTER TABLE "blocks" RENAME TO "blocks_unpartitioned";--> statement-breakpoint
ALTER TABLE "blocks_unpartitioned" RENAME CONSTRAINT "blocks_chain_id_number_pk" TO "blocks_unpartitioned_pk";--> statement-breakpoint
CREATE TABLE "blocks" (LIKE "blocks_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("timestamp");--> statement-breakpoint
ALTER TABLE "blocks" ADD CONSTRAINT "blocks_chain_id_number_timestamp_pk" PRIMARY KEY ("chain_id", "number", "timestamp");--> statement-breakpoint
CREATE TABLE "blocks_default" PARTITION OF "blocks" DEFAULT;--> statement-breakpoint
ALTER TABLE "events" RENAME TO "events_unpartitioned";--> statement-breakpoint
ALTER TABLE "events_unpartitioned" RENAME CONSTRAINT "events_chain_id_block_number_log_index_pk" TO "events_unpartitioned_pk";--> statement-breakpoint
DROP INDEX "events_service_items_idx";--> statement-breakpoint
DROP INDEX "events_tx_idx";--> statement-breakpoint
DROP INDEX "events_invoice_idx";--> statement-breakpoint
DROP INDEX "events_certificate_idx";--> statement-breakpoint
DROP INDEX "events_grant_idx";--> statement-breakpoint
CREATE TABLE "events" (LIKE "events_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("block_time");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_chain_id_block_number_log_index_block_time_pk" PRIMARY KEY ("chain_id", "block_number", "log_index", "block_time");--> statement-breakpoint
CREATE INDEX "events_service_items_idx" ON "events" USING btree ("chain_id", "block_number") WHERE "events"."event_name" = 'ServiceItemListed';--> statement-breakpoint
CREATE INDEX "events_tx_idx" ON "events" USING hash ("tx_hash");--> statement-breakpoint
CREATE INDEX "events_invoice_idx" ON "events" USING btree (("args"->>'invoiceHash')) WHERE "events"."event_name" in ('InvoiceIssued', 'InvoiceReimbursed', 'InvoiceVoided');--> statement-breakpoint
CREATE INDEX "events_certificate_idx" ON "events" USING btree (("args"->>'certHash')) WHERE "events"."event_name" in ('CertificateIssued', 'CertificateRevoked', 'CertificateVerified');--> statement-breakpoint
CREATE INDEX "events_grant_idx" ON "events" USING btree (("args"->>'grantId')) WHERE "events"."event_name" in ('AccessGranted', 'AccessRevoked');--> statement-breakpoint
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;--> statement-breakpoint
ALTER TABLE "accesses" RENAME TO "accesses_unpartitioned";--> statement-breakpoint
ALTER TABLE "accesses_unpartitioned" RENAME CONSTRAINT "accesses_chain_id_block_number_log_index_pk" TO "accesses_unpartitioned_pk";--> statement-breakpoint
DROP INDEX "accesses_accessor_time_idx";--> statement-breakpoint
DROP INDEX "accesses_grant_idx";--> statement-breakpoint
DROP INDEX "accesses_payload_idx";--> statement-breakpoint
CREATE TABLE "accesses" (LIKE "accesses_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("block_time");--> statement-breakpoint
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_chain_id_block_number_log_index_block_time_pk" PRIMARY KEY ("chain_id", "block_number", "log_index", "block_time");--> statement-breakpoint
CREATE INDEX "accesses_accessor_time_idx" ON "accesses" USING btree ("chain_id", "accessor", "block_time");--> statement-breakpoint
CREATE INDEX "accesses_grant_idx" ON "accesses" USING btree ("chain_id", "grant_id");--> statement-breakpoint
CREATE INDEX "accesses_payload_idx" ON "accesses" USING hash ("payload_hash");--> statement-breakpoint
CREATE TABLE "accesses_default" PARTITION OF "accesses" DEFAULT;--> statement-breakpoint
ALTER TABLE "cases" RENAME TO "cases_unpartitioned";--> statement-breakpoint
ALTER TABLE "cases_unpartitioned" RENAME CONSTRAINT "cases_chain_id_case_id_pk" TO "cases_unpartitioned_pk";--> statement-breakpoint
DROP INDEX "cases_region_time_idx";--> statement-breakpoint
DROP INDEX "cases_block_idx";--> statement-breakpoint
CREATE TABLE "cases" (LIKE "cases_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("block_time");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_chain_id_case_id_block_time_pk" PRIMARY KEY ("chain_id", "case_id", "block_time");--> statement-breakpoint
CREATE INDEX "cases_region_time_idx" ON "cases" USING btree ("chain_id", "region_code", "block_time");--> statement-breakpoint
CREATE INDEX "cases_block_idx" ON "cases" USING btree ("chain_id", "block_number");--> statement-breakpoint
CREATE TABLE "cases_default" PARTITION OF "cases" DEFAULT;--> statement-breakpoint
ALTER TABLE "incident_evidence" RENAME TO "incident_evidence_unpartitioned";--> statement-breakpoint
ALTER TABLE "incident_evidence_unpartitioned" RENAME CONSTRAINT "incident_evidence_incident_id_block_number_log_index_pk" TO "incident_evidence_unpartitioned_pk";--> statement-breakpoint
ALTER TABLE "incident_evidence_unpartitioned" RENAME CONSTRAINT "incident_evidence_incident_id_incidents_id_fk" TO "incident_evidence_unpartitioned_fk";--> statement-breakpoint
CREATE TABLE "incident_evidence" (LIKE "incident_evidence_unpartitioned" INCLUDING DEFAULTS, "block_time" timestamp with time zone NOT NULL) PARTITION BY RANGE ("block_time");--> statement-breakpoint
ALTER TABLE "incident_evidence" ADD CONSTRAINT "incident_evidence_incident_id_block_number_log_index_block_time_pk" PRIMARY KEY ("incident_id", "block_number", "log_index", "block_time");--> statement-breakpoint
ALTER TABLE "incident_evidence" ADD CONSTRAINT "incident_evidence_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "incident_evidence_default" PARTITION OF "incident_evidence" DEFAULT;--> statement-breakpoint
-- A partition for every month that holds rows (none on a new database: the workers create them).
SELECT ensure_month_partition(t.name, m.month)
FROM (
  SELECT DISTINCT to_char("timestamp" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month FROM "blocks_unpartitioned"
  UNION SELECT DISTINCT to_char("block_time" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') FROM "events_unpartitioned"
  UNION SELECT DISTINCT to_char("occurred_at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') FROM "incidents"
) m
CROSS JOIN (VALUES ('blocks'), ('events'), ('accesses'), ('cases'), ('incident_evidence')) AS t(name)
ORDER BY m.month, t.name;--> statement-breakpoint
INSERT INTO "blocks" ("chain_id", "number", "hash", "parent_hash", "timestamp")
  SELECT "chain_id", "number", "hash", "parent_hash", "timestamp" FROM "blocks_unpartitioned";--> statement-breakpoint
INSERT INTO "events" ("chain_id", "block_number", "log_index", "tx_hash", "tx_index", "block_time", "contract", "address", "event_name", "args")
  SELECT "chain_id", "block_number", "log_index", "tx_hash", "tx_index", "block_time", "contract", "address", "event_name", "args" FROM "events_unpartitioned";--> statement-breakpoint
INSERT INTO "accesses" ("chain_id", "block_number", "log_index", "tx_hash", "block_time", "grant_id", "dataset_id", "accessor", "owner", "category", "sensitivity", "owner_region", "accessor_region", "mode", "purpose", "record_count", "payload_hash")
  SELECT "chain_id", "block_number", "log_index", "tx_hash", "block_time", "grant_id", "dataset_id", "accessor", "owner", "category", "sensitivity", "owner_region", "accessor_region", "mode", "purpose", "record_count", "payload_hash" FROM "accesses_unpartitioned";--> statement-breakpoint
INSERT INTO "cases" ("chain_id", "case_id", "org", "region_code", "item_code", "channel", "orgs_involved", "duration_minutes", "block_number", "block_time")
  SELECT "chain_id", "case_id", "org", "region_code", "item_code", "channel", "orgs_involved", "duration_minutes", "block_number", "block_time" FROM "cases_unpartitioned";--> statement-breakpoint
-- An evidence row's time is its block's; an evidence block without a stored header (none is
-- expected: every indexed event's block is stored) takes its incident's time rather than being lost.
INSERT INTO "incident_evidence" ("incident_id", "chain_id", "block_number", "log_index", "tx_hash", "block_time")
  SELECT e."incident_id", e."chain_id", e."block_number", e."log_index", e."tx_hash", coalesce(b."timestamp", i."occurred_at")
  FROM "incident_evidence_unpartitioned" e
  JOIN "incidents" i ON i."id" = e."incident_id"
  LEFT JOIN "blocks_unpartitioned" b ON b."chain_id" = e."chain_id" AND b."number" = e."block_number";--> statement-breakpoint
DROP TABLE "blocks_unpartitioned";--> statement-breakpoint
DROP TABLE "events_unpartitioned";--> statement-breakpoint
DROP TABLE "accesses_unpartitioned";--> statement-breakpoint
DROP TABLE "cases_unpartitioned";--> statement-breakpoint
DROP TABLE "incident_evidence_unpartitioned";--> statement-breakpoint
ANALYZE "blocks", "events", "accesses", "cases", "incident_evidence";
