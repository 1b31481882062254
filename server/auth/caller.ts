import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { apiTokens, sessions, users } from '../../db/schema/auth';
import { isRole, type Role } from '../permissions';
import type { Auth } from './better-auth';
import { sessionCookieOf, signedSessionToken } from './session-cookie';
import { SESSION_IDLE_MS, SESSION_TOUCH_INTERVAL_MS } from './session-policy';
import { hashApiToken, looksLikeApiToken } from './tokens';

/** Who is calling: the one shape every procedure and route handler sees. */
export interface Caller {
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** null = nation-wide. */
  regionCode: number | null;
  twoFactorEnabled: boolean;
  via: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: number };
}

/** The user columns a caller is made of (and whether the user is disabled), for the reads here. */
export const callerUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  regionCode: users.regionCode,
  disabled: users.disabled,
  twoFactorEnabled: users.twoFactorEnabled,
};

export interface ResolveDeps {
  db: Db;
  auth: Auth;
}

/**
 * Authenticates a request from its headers: `Authorization: Bearer <token>` if present (and
 * then only that), else the session cookie. Returns null for anonymous, expired, idle, revoked
 * or disabled callers; never throws for bad credentials.
 */
export async function resolveCaller(
  deps: ResolveDeps,
  headers: Headers,
  now = new Date(),
): Promise<Caller | null> {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return m?.[1] ? resolveToken(deps.db, m[1], now) : null;
  }
  return resolveSession(deps, headers, now);
}

async function resolveToken(db: Db, token: string, now: Date): Promise<Caller | null> {
  if (!looksLikeApiToken(token)) return null;
  const [row] = await db
    .select({ tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt, user: callerUserColumns })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashApiToken(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
        eq(users.disabled, false),
      ),
    );
  const role = row?.user.role;
  if (!row || !isRole(role)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  return toCaller({ ...row.user, role }, { kind: 'token', tokenId: row.tokenId });
}

async function resolveSession(
  { db, auth }: ResolveDeps,
  headers: Headers,
  now: Date,
): Promise<Caller | null> {
  const cookie = headers.get('cookie');
  if (!cookie) return null;
  // The cookie's signature is checked as better-auth checks it, then the session and its user are
  // read in one statement on every call (no cookie cache, no secondary storage): a deleted
  // session, a disabled user or a changed role is seen by the very next request. better-auth's own
  // session read made two statements and cost ≈ 2 ms of CPU per request on the dashboard's path.
  const token = signedSessionToken(cookie, await sessionCookieOf(auth));
  if (token === null) return null;
  const [found] = await db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      createdAt: sessions.createdAt,
      user: callerUserColumns,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.token, token));
  if (!found) return null;
  const { user } = found;
  const role = user.role;
  if (user.disabled || !isRole(role)) return null;
  const lastSeen = found.lastSeenAt ?? found.createdAt;
  if (found.expiresAt <= now || now.getTime() - lastSeen.getTime() > SESSION_IDLE_MS) {
    await db.delete(sessions).where(eq(sessions.id, found.sessionId));
    return null;
  }
  if (now.getTime() - lastSeen.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`greatest(${sessions.lastSeenAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(sessions.id, found.sessionId));
    // greatest(null, x) is x in Postgres, so the first touch also sets it.
  }
  return toCaller(
    {
      id: user.id,
      email: user.email,
      name: user.name,
      role,
      regionCode: user.regionCode ?? null,
      twoFactorEnabled: user.twoFactorEnabled,
    },
    { kind: 'session', sessionId: found.sessionId },
  );
}

/** What of a user record a caller is made of (the role already checked). */
export interface CallerUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  regionCode: number | null;
  twoFactorEnabled: boolean;
}

/** The caller a signed-in user is, reached `via` a session or a token (2FA per the user record). */
export function toCaller(user: CallerUser, via: Caller['via']): Caller {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    regionCode: user.regionCode,
    twoFactorEnabled: user.twoFactorEnabled,
    via,
  };
}
