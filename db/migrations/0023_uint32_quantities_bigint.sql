-- DataAccessed.recordCount and CaseCompleted.durationMinutes are uint32 on chain: any member can
-- emit 4,294,967,295, which no integer column holds. Such a value failed its range's COPY, and the
-- indexer retried that range for ever. bigint holds every uint32. Both tables are rewritten (on a
-- chain of 9M events: a few minutes with the tables locked), once.
ALTER TABLE "accesses" ALTER COLUMN "record_count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "duration_minutes" SET DATA TYPE bigint;
