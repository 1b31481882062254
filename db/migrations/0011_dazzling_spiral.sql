ALTER TABLE "indexer_health" ADD COLUMN "cursor_moved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "indexer_health" ADD COLUMN "waiting_for_block" bigint;--> statement-breakpoint
ALTER TABLE "indexer_health" ADD COLUMN "waiting_reason" varchar(300);--> statement-breakpoint
ALTER TABLE "indexer_health" ADD COLUMN "continuation_from" bigint;--> statement-breakpoint
ALTER TABLE "indexer_health" ADD COLUMN "replans" integer DEFAULT 0 NOT NULL;