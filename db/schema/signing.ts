import { sql } from 'drizzle-orm';
import { pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';

/**
 * Every SM2 public key that has signed a manifest of this deployment. The private key lives only
 * in SIGNING_KEY_FILE, outside the database; its public half is recorded here the first time it
 * signs, so that after a rotation the old keys stay listed on /verify and packages signed with
 * them still verify as "signed by this deployment".
 */
export const signingKeys = pgTable('signing_keys', {
  /** SM3 of the public key bytes, hex */
  fingerprint: varchar('fingerprint', { length: 64 }).primaryKey(),
  /** 04‖x‖y, hex */
  publicKey: varchar('public_key', { length: 130 }).notNull(),
  firstUsedAt: timestamp('first_used_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});
