CREATE TABLE "malformed_logs" (
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"tx_hash" varchar(66) NOT NULL,
	"address" varchar(42) NOT NULL,
	"topics" jsonb NOT NULL,
	"data" text NOT NULL,
	"reason" varchar(300) NOT NULL,
	CONSTRAINT "malformed_logs_chain_id_block_number_log_index_pk" PRIMARY KEY("chain_id","block_number","log_index")
);
