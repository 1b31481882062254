-- A DataAccessed was stored twice: as a raw row in "events" (its fields as JSON) and as its typed
-- row in "accesses" (every field a column, plus the dataset's and orgs' attributes at the time).
-- On a busy chain almost every event is one, and the raw copy was ≈ 15 % of a backfill. Now the
-- typed row is the only copy: it gains what the raw row had besides (tx index; the contract's
-- address by number, the same in every row of a deployment), the raw rows go, and the view
-- "chain_events" shows both tables in the raw shape, the args as the indexer wrote them (keys in
-- the event's order, integers unquoted). The address is a scalar subquery, not a join: a join
-- keeps Postgres from merging the two tables' primary-key scans in chain order, and the replay's
-- pages (ORDER BY block, log LIMIT) then sorted every remaining row each time. On a chain of
-- millions of accesses this migration rewrites "accesses" and empties "events" of them once
-- (minutes, with the tables locked).
CREATE TABLE "contract_addresses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "contract_addresses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"chain_id" integer NOT NULL,
	"address" varchar(42) NOT NULL,
	CONSTRAINT "contract_addresses_chain_address_key" UNIQUE("chain_id","address")
);--> statement-breakpoint
INSERT INTO "contract_addresses" ("chain_id", "address")
  SELECT DISTINCT "chain_id", "address" FROM "events" WHERE "event_name" = 'DataAccessed'
  ORDER BY 1, 2;--> statement-breakpoint
ALTER TABLE "accesses" ADD COLUMN "tx_index" integer;--> statement-breakpoint
ALTER TABLE "accesses" ADD COLUMN "address_id" integer;--> statement-breakpoint
UPDATE "accesses" a SET "tx_index" = e."tx_index", "address_id" = c."id"
  FROM "events" e JOIN "contract_addresses" c ON c."chain_id" = e."chain_id" AND c."address" = e."address"
 WHERE e."event_name" = 'DataAccessed' AND e."chain_id" = a."chain_id" AND e."block_number" = a."block_number"
   AND e."log_index" = a."log_index" AND e."block_time" = a."block_time";--> statement-breakpoint
ALTER TABLE "accesses" ALTER COLUMN "tx_index" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "accesses" ALTER COLUMN "address_id" SET NOT NULL;--> statement-breakpoint
DELETE FROM "events" e USING "accesses" a
 WHERE e."event_name" = 'DataAccessed' AND e."chain_id" = a."chain_id" AND e."block_number" = a."block_number"
   AND e."log_index" = a."log_index" AND e."block_time" = a."block_time";--> statement-breakpoint
CREATE INDEX "accesses_tx_idx" ON "accesses" USING btree ("tx_hash");--> statement-breakpoint
CREATE VIEW "chain_events" AS
SELECT "chain_id", "block_number", "log_index", "tx_hash", "tx_index", "block_time", "contract", "address",
       "event_name", "args"
  FROM "events"
UNION ALL
SELECT a."chain_id", a."block_number", a."log_index", a."tx_hash", a."tx_index", a."block_time",
       'DataSharing'::varchar(32),
       (SELECT c."address" FROM "contract_addresses" c WHERE c."id" = a."address_id"),
       'DataAccessed'::varchar(32),
       ('{"grantId":"' || a."grant_id" || '","datasetId":"' || a."dataset_id" || '","accessor":"' || a."accessor" ||
        '","mode":' || a."mode" || ',"purpose":' || a."purpose" || ',"recordCount":' || a."record_count" ||
        ',"payloadHash":"' || a."payload_hash" || '"}')::json
  FROM "accesses" a;
