-- The audit log's hash chain starts here: one head row (server/audit-chain.ts locks it FOR UPDATE
-- on every append). Rows written before this migration keep a null hash and are reported by
-- `verify-audit` as unchained history.
INSERT INTO "audit_chain_head" ("id", "last_id", "last_hash")
VALUES (1, NULL, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint
-- Two database roles (docs/security.md, docs/operations.md): whoever runs the migrations owns the
-- schema; the runtime role `lianjian_app` (web and workers, DATABASE_URL in production) reads and
-- writes data but may not UPDATE, DELETE or TRUNCATE the audit log, and as a non-owner may not
-- ALTER or DROP any table. Created NOLOGIN: an operator gives it LOGIN and a password (or makes a
-- login role a member of it). Roles are cluster-wide, so two databases migrating at once may race
-- to create it; the loser finds it there.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lianjian_app') THEN
    CREATE ROLE lianjian_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO lianjian_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO lianjian_app;
--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO lianjian_app;
--> statement-breakpoint
-- Tables and sequences later migrations create (as the same owner) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO lianjian_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO lianjian_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "audit_log" FROM lianjian_app;
--> statement-breakpoint
REVOKE INSERT, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "audit_chain_head" FROM lianjian_app;
--> statement-breakpoint
REVOKE ALL ON "audit_log" FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON "audit_chain_head" FROM PUBLIC;
