CREATE TABLE "signing_keys" (
	"fingerprint" varchar(64) PRIMARY KEY NOT NULL,
	"public_key" varchar(130) NOT NULL,
	"first_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
