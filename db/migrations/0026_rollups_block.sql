-- Where the rollups stand while a backfill carries a day's sums from range to range
-- (workers/rollups/pending.ts): the last block whose events they hold; NULL when they hold every
-- event up to indexed_block.
ALTER TABLE "cursors" ADD COLUMN "rollups_block" bigint;
