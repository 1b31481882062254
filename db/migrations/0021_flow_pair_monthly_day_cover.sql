-- Which org pairs exchanged data on which days of a month (the overview's distinct pairs and
-- active departments, pair-months.ts pairActivitySql) reads only the keys and day_mask of
-- flow_pair_monthly; its rows are wide (two month-long running-total arrays), so a scan of the
-- heap read ≈ 40 MB at 9M events for ≈ 19k rows. An index-only scan of this reads the narrow part
-- (drizzle's index builder has no INCLUDE, so it lives here and not in db/schema).
CREATE INDEX IF NOT EXISTS "flow_pair_monthly_days_idx" ON "flow_pair_monthly" ("chain_id", "month")
  INCLUDE ("owner_org", "accessor_org", "owner_region", "accessor_region", "day_mask");
--> statement-breakpoint
-- Index-only scans skip the heap only on pages the visibility map marks all-visible; every commit
-- updates the current month's rows, so vacuum comes sooner than the default 20 % of the table.
ALTER TABLE "flow_pair_monthly" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
