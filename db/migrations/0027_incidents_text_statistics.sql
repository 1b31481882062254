-- No planner statistics of an incident's text: no query filters or sorts by its summary or facts,
-- and sampling them was half of ANALYZE incidents (0.6 s at 400k incidents, once beside a
-- backfill's last ranges and once after it).
ALTER TABLE "incidents" ALTER COLUMN "summary" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "incidents" ALTER COLUMN "facts" SET STATISTICS 0;
