-- Cases are found by their id (the writer's check for ids already stored, /verify) through a hash
-- index instead of the (chain, case id, time) primary key. The key could not keep an id unique
-- across months (the writer does), and as a B-tree over random 66-character ids it cost a
-- backfill most of its cases step: the simulator's large chain spent 54.6 s writing 1.36M cases.
ALTER TABLE "cases" DROP CONSTRAINT "cases_chain_id_case_id_block_time_pk";--> statement-breakpoint
CREATE INDEX "cases_case_idx" ON "cases" USING hash ("case_id");
