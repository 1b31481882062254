-- The Shanghai calendar day of a time, as incident_tallies names its days (YYYY-MM-DD): one
-- definition for the tally trigger's three cases instead of the expression written out in each.
CREATE FUNCTION shanghai_day(t timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
  RETURN to_char(t AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION incident_tallies_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM incident_tallies;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
    SELECT chain_id, region_code, rule, severity, status, shanghai_day(occurred_at), count(*)
    FROM added GROUP BY 1, 2, 3, 4, 5, 6;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
    SELECT chain_id, region_code, rule, severity, status, shanghai_day(occurred_at), -count(*)
    FROM removed GROUP BY 1, 2, 3, 4, 5, 6;
  ELSE
    INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
    SELECT chain_id, region_code, rule, severity, status, shanghai_day(occurred_at), sum(n)
    FROM (
      SELECT chain_id, region_code, rule, severity, status, occurred_at, 1 AS n FROM added
      UNION ALL
      SELECT chain_id, region_code, rule, severity, status, occurred_at, -1 FROM removed
    ) changed
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0;
  END IF;
  RETURN NULL;
END $$;
