CREATE TABLE "incident_tallies" (
	"chain_id" integer NOT NULL,
	"region_code" integer NOT NULL,
	"rule" varchar(40) NOT NULL,
	"severity" varchar(8) NOT NULL,
	"status" varchar(16) NOT NULL,
	"day" varchar(10) NOT NULL,
	"count" bigint NOT NULL
);
--> statement-breakpoint
-- What a statement did to `incidents`, counted per key: rows of `added` count +1, of `removed` -1.
-- One grouped insert per statement (transition tables), appended to incident_tallies.
CREATE FUNCTION incident_tallies_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM incident_tallies;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
    SELECT chain_id, region_code, rule, severity, status, to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), count(*)
    FROM added GROUP BY 1, 2, 3, 4, 5, 6;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
    SELECT chain_id, region_code, rule, severity, status, to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), -count(*)
    FROM removed GROUP BY 1, 2, 3, 4, 5, 6;
  ELSE
    INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
    SELECT chain_id, region_code, rule, severity, status, day, sum(n)
    FROM (
      SELECT chain_id, region_code, rule, severity, status, to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, 1 AS n FROM added
      UNION ALL
      SELECT chain_id, region_code, rule, severity, status, to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), -1 FROM removed
    ) changed
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER incident_tallies_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION incident_tallies_append();
--> statement-breakpoint
CREATE TRIGGER incident_tallies_update AFTER UPDATE ON incidents REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION incident_tallies_append();
--> statement-breakpoint
CREATE TRIGGER incident_tallies_delete AFTER DELETE ON incidents REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION incident_tallies_append();
--> statement-breakpoint
CREATE TRIGGER incident_tallies_truncate AFTER TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_tallies_append();
--> statement-breakpoint
INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
SELECT chain_id, region_code, rule, severity, status, to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), count(*)
FROM incidents GROUP BY 1, 2, 3, 4, 5, 6;
