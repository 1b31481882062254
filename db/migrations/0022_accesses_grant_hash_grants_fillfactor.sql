-- A grant's history looks one grant id up by equality: a hash index inserts each backfilled
-- access for about half of what the B-tree over (chain_id, grant_id) cost (COPY of 200k accesses:
-- ≈ 250 against ≈ 450 ms here).
DROP INDEX "accesses_grant_idx";--> statement-breakpoint
CREATE INDEX "accesses_grant_idx" ON "accesses" USING hash ("grant_id");--> statement-breakpoint
-- Every range adds its accesses to the access_count of each grant it touched. With full pages the
-- new row versions went to other pages (1 update in 23 was HOT on the dense bench chain) and each
-- one inserted into the table's three indexes; with half of each page free the update stays on
-- its page and skips them (the writer's projections phase ≈ 700 → 230 ms for 200k accesses).
-- The table is small (one row per grant), so the room costs little. New pages only: an existing
-- table gets it as it grows or is rewritten.
ALTER TABLE "grants" SET (fillfactor = 50);
