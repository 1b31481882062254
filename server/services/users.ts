import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accounts, apiTokens, sessions, users } from '../../db/schema/auth';
import { writeAudit, type AuditActor } from '../audit';
import { callerUserColumns } from '../auth/caller';
import { hashPassword } from '../auth/password';
import { normaliseEmail } from '../auth/lockout';
import { conflict, invalid, notFound } from '../errors';
import type { Role } from '../permissions';
import { isValidScopeCode, scopeCondition, type Scope } from '../scope';
import { assertManagesRegion, mayManageRegion } from './admin-scope';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  regionCode: number | null;
  disabled: boolean;
  twoFactorEnabled: boolean;
  createdAt: Date;
}

const columns = { ...callerUserColumns, createdAt: users.createdAt };

interface Ctx {
  db: Db;
  actor: AuditActor;
  ip?: string | null;
  /** The administrator's own region scope (services/admin-scope.ts); nation-wide when omitted (CLI). */
  scope?: Scope;
}

const NATION: Scope = { regionCode: null };

/** Users inside the administrator's scope (nation-wide users only for a nation-wide admin). */
export async function listUsers(db: Db, scope: Scope = NATION): Promise<UserView[]> {
  const rows = await db
    .select(columns)
    .from(users)
    .where(scopeCondition(scope, users.regionCode))
    .orderBy(asc(users.email));
  return rows as UserView[];
}

export async function createUser(
  { db, actor, ip, scope = NATION }: Ctx,
  input: {
    email: string;
    password: string;
    name?: string;
    role: Role;
    regionCode: number | null;
    /** Role `department` only: the org whose cases the user answers (lower-case 0x address). */
    orgAddress?: string | null;
  },
): Promise<UserView> {
  if (!isValidScopeCode(input.regionCode)) throw invalid(`region ${input.regionCode} is not a region code`);
  assertManagesRegion(scope, input.regionCode, 'create');
  const orgAddress = input.orgAddress?.toLowerCase() ?? null;
  if (orgAddress !== null && !/^0x[0-9a-f]{40}$/.test(orgAddress))
    throw invalid(`org ${input.orgAddress} is not a 0x address`);
  if (input.role === 'department' && orgAddress === null)
    throw invalid('a department user needs the address of its organisation (--org)');
  const email = normaliseEmail(input.email);
  // Hash outside the transaction: argon2 takes ~50 ms and must not hold a connection's locks.
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const id = randomUUID();
    const [row] = await tx
      .insert(users)
      .values({
        id,
        email,
        name: input.name ?? email,
        role: input.role,
        regionCode: input.regionCode,
        orgAddress: input.role === 'department' ? orgAddress : null,
      })
      .onConflictDoNothing()
      .returning(columns);
    if (!row) throw conflict(`a user with e-mail ${email} already exists`);
    await tx.insert(accounts).values({
      id: randomUUID(),
      accountId: id,
      providerId: 'credential',
      userId: id,
      password: passwordHash,
    });
    await writeAudit(tx, {
      actor,
      action: 'user.create',
      target: `user:${id}`,
      details: { email, role: input.role, regionCode: input.regionCode, orgAddress },
      ip,
    });
    return row as UserView;
  });
}

/** Changes role and/or region; sessions end so the new rights apply from the next sign-in. */
export async function updateUserAccess(
  { db, actor, ip, scope = NATION }: Ctx,
  input: { userId: string; role?: Role; regionCode?: number | null },
): Promise<UserView> {
  if (input.regionCode !== undefined && !isValidScopeCode(input.regionCode)) {
    throw invalid(`region ${input.regionCode} is not a region code`);
  }
  // Asked before reading the target too: a region outside the scope is refused whoever it is for.
  if (input.regionCode !== undefined) assertManagesRegion(scope, input.regionCode, 'assign');
  return db.transaction(async (tx) => {
    const [before] = await tx.select(columns).from(users).where(eq(users.id, input.userId)).for('update');
    // A user outside the scope is "not found", like a row of another region anywhere else.
    if (!before || !mayManageRegion(scope, before.regionCode)) throw notFound('user');
    const [after] = await tx
      .update(users)
      .set({
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.regionCode !== undefined ? { regionCode: input.regionCode } : {}),
        updatedAt: new Date(),
      })
      .where(eq(users.id, input.userId))
      .returning(columns);
    await tx.delete(sessions).where(eq(sessions.userId, input.userId));
    await writeAudit(tx, {
      actor,
      action: 'user.update_access',
      target: `user:${input.userId}`,
      details: {
        from: { role: before.role, regionCode: before.regionCode },
        to: { role: after?.role, regionCode: after?.regionCode },
      },
      ip,
    });
    return after as UserView;
  });
}

/** Disables (or re-enables) a user; disabling ends their sessions and revokes their tokens. */
export async function setUserDisabled(
  { db, actor, ip, scope = NATION }: Ctx,
  input: { userId: string; disabled: boolean },
): Promise<UserView> {
  if (input.disabled && actor.id === input.userId) throw invalid('you cannot disable yourself');
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ regionCode: users.regionCode })
      .from(users)
      .where(eq(users.id, input.userId))
      .for('update');
    if (!target || !mayManageRegion(scope, target.regionCode)) throw notFound('user');
    const [row] = await tx
      .update(users)
      .set({ disabled: input.disabled, updatedAt: new Date() })
      .where(eq(users.id, input.userId))
      .returning(columns);
    if (!row) throw notFound('user');
    if (input.disabled) {
      await tx.delete(sessions).where(eq(sessions.userId, input.userId));
      await tx
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.userId, input.userId), isNull(apiTokens.revokedAt)));
    }
    await writeAudit(tx, {
      actor,
      action: input.disabled ? 'user.disable' : 'user.enable',
      target: `user:${input.userId}`,
      details: { email: row.email },
      ip,
    });
    return row as UserView;
  });
}

export async function findUserByEmail(db: Db, email: string): Promise<UserView | undefined> {
  const [row] = await db
    .select(columns)
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  return row as UserView | undefined;
}
