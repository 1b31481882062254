import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { apiTokens, users } from '../../db/schema/auth';
import { writeAudit, type AuditActor } from '../audit';
import { generateApiToken } from '../auth/tokens';
import { invalid, notFound } from '../errors';
import { scopeCondition, type Scope } from '../scope';
import { mayManageRegion } from './admin-scope';

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

/**
 * Token lifetimes: a token is a password that skips the second factor, so every one expires.
 * 90 days by default (a quarter's scripts), never more than a year.
 */
export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;
const DAY_MS = 86_400_000;

interface Ctx {
  db: Db;
  actor: AuditActor;
  ip?: string | null;
  /** The administrator's scope for list and revoke; nation-wide when omitted (CLI). */
  scope?: Scope;
}

const NATION: Scope = { regionCode: null };

/** Tokens of users inside the scope (or of one user); never the token itself, only its prefix. */
export async function listTokens(
  db: Db,
  filter: { userId?: string } = {},
  scope: Scope = NATION,
): Promise<TokenView[]> {
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
    .where(
      and(
        filter.userId ? eq(apiTokens.userId, filter.userId) : undefined,
        scopeCondition(scope, users.regionCode),
      ),
    )
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
}

/** The expiry of a new token: default 90 days, refused when past or beyond a year. */
export function tokenExpiry(requested: Date | undefined, now: Date): Date {
  if (!requested) return new Date(now.getTime() + TOKEN_DEFAULT_DAYS * DAY_MS);
  if (requested <= now) throw invalid('expiresAt must be in the future');
  if (requested.getTime() - now.getTime() > TOKEN_MAX_DAYS * DAY_MS) {
    throw invalid(`a token lives at most ${TOKEN_MAX_DAYS} days`);
  }
  return requested;
}

/**
 * Creates a token for `userId`; the plaintext is in the result and nowhere else, ever. Only the
 * owner (me.tokens.create) and the operator's console (`create-token`) call this: an
 * administrator can list and revoke tokens but never mint one for someone else. The token acts
 * with its owner's role and region as they are at each use, never more.
 */
export async function createToken(
  { db, actor, ip }: Ctx,
  input: { userId: string; name: string; expiresAt?: Date },
  now = new Date(),
): Promise<{ id: number; token: string; prefix: string; expiresAt: Date }> {
  const expiresAt = tokenExpiry(input.expiresAt, now);
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
        expiresAt,
      })
      .returning({ id: apiTokens.id });
    if (!row) throw new Error('token insert returned nothing');
    await writeAudit(tx, {
      actor,
      action: 'token.create',
      target: `token:${row.id}`,
      details: { userId: input.userId, name: input.name, prefix, expiresAt: expiresAt.toISOString() },
      ip,
    });
    return { id: row.id, token, prefix, expiresAt };
  });
}

/**
 * Revokes a token. `ownerId` limits it to one user's own tokens (me.tokens.revoke); otherwise
 * the token's owner must lie inside the administrator's scope.
 */
export async function revokeToken(
  { db, actor, ip, scope = NATION }: Ctx,
  input: { tokenId: number; ownerId?: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [target] = await tx
      .select({ userId: apiTokens.userId, regionCode: users.regionCode })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.id, input.tokenId), isNull(apiTokens.revokedAt)))
      .for('update', { of: apiTokens });
    const allowed =
      target &&
      (input.ownerId !== undefined
        ? target.userId === input.ownerId
        : mayManageRegion(scope, target.regionCode));
    if (!allowed) throw notFound('active token');
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
