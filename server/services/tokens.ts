import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { apiTokens, users } from '../../db/schema/auth';
import { writeAudit, type AuditActor } from '../audit';
import { generateApiToken } from '../auth/tokens';
import { invalid, notFound } from '../errors';

export interface TokenView {
  id: number;
  userId: string;
  userEmail: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface Ctx {
  db: Db;
  actor: AuditActor;
  ip?: string | null;
}

export async function listTokens(db: Db, filter: { userId?: string } = {}): Promise<TokenView[]> {
  return db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      userEmail: users.email,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(filter.userId ? eq(apiTokens.userId, filter.userId) : undefined)
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
}

/** Creates a token; the plaintext is in the result and nowhere else, ever. */
export async function createToken(
  { db, actor, ip }: Ctx,
  input: { userId: string; name: string; expiresAt?: Date | null },
): Promise<{ id: number; token: string; prefix: string }> {
  if (input.expiresAt && input.expiresAt <= new Date()) throw invalid('expiresAt must be in the future');
  const { token, prefix, hash } = generateApiToken();
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, disabled: users.disabled })
      .from(users)
      .where(eq(users.id, input.userId));
    if (!user) throw notFound('user');
    if (user.disabled) throw invalid('the user is disabled');
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: input.userId,
        name: input.name,
        prefix,
        tokenHash: hash,
        createdBy: actor.id,
        expiresAt: input.expiresAt ?? null,
      })
      .returning({ id: apiTokens.id });
    if (!row) throw new Error('token insert returned nothing');
    await writeAudit(tx, {
      actor,
      action: 'token.create',
      target: `token:${row.id}`,
      details: { userId: input.userId, name: input.name, prefix },
      ip,
    });
    return { id: row.id, token, prefix };
  });
}

export async function revokeToken({ db, actor, ip }: Ctx, input: { tokenId: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, input.tokenId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, prefix: apiTokens.prefix, userId: apiTokens.userId });
    if (!row) throw notFound('active token');
    await writeAudit(tx, {
      actor,
      action: 'token.revoke',
      target: `token:${row.id}`,
      details: { userId: row.userId, prefix: row.prefix },
      ip,
    });
  });
}
