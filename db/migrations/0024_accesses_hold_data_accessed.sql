-- A DataAccessed was stored twice: as a raw row in "events" (its fields as JSON) and as its typed
-- row in "accesses" (every field a column, plus the dataset's and orgs' attributes at the time).
-- On a busy chain almost every event is one, and the raw copy was ≈ 15 % of a backfill. Now the
-- typed row is the only copy: it gains what the raw row had besides (tx index, contract address),
-- the raw rows go, and the view "chain_events" shows both tables in the raw shape, the args as the
-- indexer wrote them (keys in the event's order, integers unquoted). On a chain of millions of
-- accesses this migration rewrites "accesses" and empties "events" of them once (minutes, with the
-- tables locked).
ALTER TABLE "accesses" ADD COLUMN "tx_index" integer;--> statement-breakpoint
ALTER TABLE "accesses" ADD COLUMN "address" varchar(42);--> statement-breakpoint
UPDATE "accesses" a SET "tx_index" = e."tx_index", "address" = e."address"
  FROM "events" e
 WHERE e."event_name" = 'DataAccessed' AND e."chain_id" = a."chain_id" AND e."block_number" = a."block_number"
   AND e."log_index" = a."log_index" AND e."block_time" = a."block_time";--> statement-breakpoint
ALTER TABLE "accesses" ALTER COLUMN "tx_index" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "accesses" ALTER COLUMN "address" SET NOT NULL;--> statement-breakpoint
DELETE FROM "events" e USING "accesses" a
 WHERE e."event_name" = 'DataAccessed' AND e."chain_id" = a."chain_id" AND e."block_number" = a."block_number"
   AND e."log_index" = a."log_index" AND e."block_time" = a."block_time";--> statement-breakpoint
CREATE INDEX "accesses_tx_idx" ON "accesses" USING btree ("tx_hash");--> statement-breakpoint
CREATE VIEW "chain_events" AS
SELECT "chain_id", "block_number", "log_index", "tx_hash", "tx_index", "block_time", "contract", "address",
       "event_name", "args"
  FROM "events"
UNION ALL
SELECT "chain_id", "block_number", "log_index", "tx_hash", "tx_index", "block_time",
       'DataSharing'::varchar(32), "address", 'DataAccessed'::varchar(32),
       ('{"grantId":"' || "grant_id" || '","datasetId":"' || "dataset_id" || '","accessor":"' || "accessor" ||
        '","mode":' || "mode" || ',"purpose":' || "purpose" || ',"recordCount":' || "record_count" ||
        ',"payloadHash":"' || "payload_hash" || '"}')::json
  FROM "accesses";
