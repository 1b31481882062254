DROP INDEX "events_name_block_idx";--> statement-breakpoint
DROP INDEX "accesses_owner_time_idx";--> statement-breakpoint
DROP INDEX "accesses_dataset_time_idx";--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "args" SET DATA TYPE json;--> statement-breakpoint
CREATE INDEX "events_service_items_idx" ON "events" USING btree ("chain_id","block_number") WHERE "events"."event_name" = 'ServiceItemListed';