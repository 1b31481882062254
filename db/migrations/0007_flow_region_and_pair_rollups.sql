CREATE TABLE "flow_pair_monthly" (
	"chain_id" integer NOT NULL,
	"month" varchar(7) NOT NULL,
	"owner_org" varchar(42) NOT NULL,
	"accessor_org" varchar(42) NOT NULL,
	"owner_region" integer NOT NULL,
	"accessor_region" integer NOT NULL,
	"day_mask" integer NOT NULL,
	"accesses_cum" bigint[] NOT NULL,
	"records_cum" bigint[] NOT NULL,
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
-- Element-wise sum of two running-total arrays of equal length (flow_pair_monthly upserts).
CREATE OR REPLACE FUNCTION add_bigint_arrays(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;
--> statement-breakpoint
-- An existing database gets both rollups from flow_daily, which holds everything they sum.
INSERT INTO "flow_region_daily" ("chain_id", "day", "owner_region", "accessor_region", "mode", "accesses", "records")
SELECT "chain_id", "day", "owner_region", "accessor_region", "mode", sum("accesses"), sum("records")
FROM "flow_daily" GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO "flow_pair_monthly" ("chain_id", "month", "owner_org", "accessor_org", "owner_region", "accessor_region",
                                 "day_mask", "accesses_cum", "records_cum")
WITH daily AS (
  SELECT "chain_id", left("day", 7) AS month, "owner_org", "accessor_org", "owner_region", "accessor_region",
         substr("day", 9, 2)::int AS d, sum("accesses")::bigint AS a, sum("records")::bigint AS r
  FROM "flow_daily" GROUP BY 1, 2, 3, 4, 5, 6, 7
), running AS (
  SELECT k.*, g.d,
         sum(coalesce(daily.a, 0)) OVER w AS ca, sum(coalesce(daily.r, 0)) OVER w AS cr
  FROM (SELECT DISTINCT "chain_id", month, "owner_org", "accessor_org", "owner_region", "accessor_region" FROM daily) k
  CROSS JOIN generate_series(1, 31) AS g(d)
  LEFT JOIN daily USING ("chain_id", month, "owner_org", "accessor_org", "owner_region", "accessor_region", d)
  WINDOW w AS (PARTITION BY k."chain_id", k.month, k."owner_org", k."accessor_org", k."owner_region", k."accessor_region"
               ORDER BY g.d)
)
SELECT "chain_id", month, "owner_org", "accessor_org", "owner_region", "accessor_region",
       bit_or(CASE WHEN d_active THEN 1 << (d - 1) ELSE 0 END),
       array_agg(ca::bigint ORDER BY d), array_agg(cr::bigint ORDER BY d)
FROM (SELECT *, (ca > coalesce(lag(ca) OVER (PARTITION BY "chain_id", month, "owner_org", "accessor_org",
                                             "owner_region", "accessor_region" ORDER BY d), 0)) AS d_active
      FROM running) x
GROUP BY 1, 2, 3, 4, 5, 6;
