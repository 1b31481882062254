-- Indexes of `accesses` and `events` a backfill into an empty table builds at its end, not row by row
-- (db/deferred-indexes.ts): the definition of each one dropped meanwhile, so that a backfill
-- stopped half-way leaves behind what to build.
CREATE TABLE "deferred_indexes" (
	"name" varchar(63) PRIMARY KEY NOT NULL,
	"definition" text NOT NULL,
	"deferred_at" timestamp with time zone DEFAULT now() NOT NULL
);
