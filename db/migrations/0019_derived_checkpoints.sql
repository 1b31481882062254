CREATE TABLE "derived_checkpoint_rows" (
	"checkpoint_id" bigint NOT NULL,
	"table_name" varchar(40) NOT NULL,
	"row" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "derived_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" varchar(66),
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "derived_checkpoint_rows" ADD CONSTRAINT "derived_checkpoint_rows_checkpoint_id_derived_checkpoints_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."derived_checkpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "derived_checkpoint_rows_idx" ON "derived_checkpoint_rows" USING btree ("checkpoint_id","table_name");--> statement-breakpoint
CREATE INDEX "derived_checkpoints_chain_block_idx" ON "derived_checkpoints" USING btree ("chain_id","block_number");