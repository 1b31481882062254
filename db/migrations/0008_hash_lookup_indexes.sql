DROP INDEX "events_tx_idx";--> statement-breakpoint
DROP INDEX "accesses_payload_idx";--> statement-breakpoint
CREATE INDEX "events_tx_idx" ON "events" USING hash ("tx_hash");--> statement-breakpoint
CREATE INDEX "accesses_payload_idx" ON "accesses" USING hash ("payload_hash");