import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { signingKeys } from '../../db/schema/signing';
import type { SigningKey } from './keys';

/** Records (or touches) the public half of the key about to sign: rotation keeps old keys listed. */
export async function registerSigningKey(db: Pick<Db, 'insert'>, key: SigningKey): Promise<void> {
  await db
    .insert(signingKeys)
    .values({ fingerprint: key.fingerprint, publicKey: key.publicKeyHex })
    .onConflictDoUpdate({ target: signingKeys.fingerprint, set: { lastUsedAt: sql`now()` } });
}

export interface PublishedKey {
  fingerprint: string;
  publicKey: string;
  firstUsedAt: Date;
  lastUsedAt: Date;
  current: boolean;
}

/** Every key of this deployment, the current one (SIGNING_KEY_FILE's) first, then newest first. */
export async function listSigningKeys(db: Db, current: SigningKey | null): Promise<PublishedKey[]> {
  const rows = await db.select().from(signingKeys).orderBy(desc(signingKeys.lastUsedAt));
  const list = rows.map((r) => ({ ...r, current: r.fingerprint === current?.fingerprint }));
  if (current && !list.some((k) => k.current))
    list.unshift({
      fingerprint: current.fingerprint,
      publicKey: current.publicKeyHex,
      firstUsedAt: new Date(),
      lastUsedAt: new Date(),
      current: true,
    });
  return list.sort((a, b) => Number(b.current) - Number(a.current));
}
