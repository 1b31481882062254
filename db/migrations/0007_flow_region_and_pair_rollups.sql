CREATE TABLE "flow_pair_monthly" (
	"chain_id" integer NOT NULL,
	"month" varchar(7) NOT NULL,
	"owner_org" varchar(42) NOT NULL,
	"accessor_org" varchar(42) NOT NULL,
	"owner_region" integer NOT NULL,
	"accessor_region" integer NOT NULL,
	"day_mask" integer NOT NULL,
	CONSTRAINT "flow_pair_monthly_pk" PRIMARY KEY("chain_id","month","owner_org","accessor_org","owner_region","accessor_region")
);
--> statement-breakpoint
CREATE TABLE "flow_region_daily" (
	"chain_id" integer NOT NULL,
	"day" varchar(10) NOT NULL,
	"owner_region" integer NOT NULL,
	"accessor_region" integer NOT NULL,
	"mode" smallint NOT NULL,
	"accesses" integer NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "flow_region_daily_pk" PRIMARY KEY("chain_id","day","owner_region","accessor_region","mode")
);
--> statement-breakpoint
-- An existing database gets both rollups from flow_daily, which holds everything they sum.
INSERT INTO "flow_region_daily" ("chain_id", "day", "owner_region", "accessor_region", "mode", "accesses", "records")
SELECT "chain_id", "day", "owner_region", "accessor_region", "mode", sum("accesses"), sum("records")
FROM "flow_daily" GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO "flow_pair_monthly" ("chain_id", "month", "owner_org", "accessor_org", "owner_region", "accessor_region", "day_mask")
SELECT "chain_id", left("day", 7), "owner_org", "accessor_org", "owner_region", "accessor_region",
       bit_or(1 << (substr("day", 9, 2)::int - 1))
FROM "flow_daily" GROUP BY 1, 2, 3, 4, 5, 6;
