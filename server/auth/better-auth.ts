import { randomUUID } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { twoFactor } from 'better-auth/plugins';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accounts, authRateLimits, sessions, twoFactors, users, verifications } from '../../db/schema/auth';
import { writeAudit } from '../audit';
import type { WebEnv } from '../env';
import { clientIp } from './ip';
import { clearFailures, lockedUntil, normaliseEmail, reserveAttempt } from './lockout';
import { countSignInRequest, SIGN_IN_LIMIT } from './sign-in-limit';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from './password';
import { SESSION_ABSOLUTE_SECONDS } from './session-policy';

export const AUTH_BASE_PATH = '/api/auth';

/** The second step of a sign-in: its failures count toward the same lock as wrong passwords. */
const SECOND_FACTOR_PATHS = ['/two-factor/verify-totp', '/two-factor/verify-backup-code'];

function signInEmail(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normaliseEmail(email) : null;
}

/** Context of a better-auth hook, reduced to what pendingSecondFactorEmail reads. */
interface TwoFactorHookCtx {
  getSignedCookie: (name: string, secret: string) => Promise<string | null | false>;
  context: {
    secret: string;
    createAuthCookie: (name: string) => { name: string };
    internalAdapter: { findVerificationValue: (id: string) => Promise<{ value: string } | null> };
  };
}

export interface CreateAuthOptions {
  db: Db;
  env: Pick<WebEnv, 'AUTH_SECRET' | 'BASE_URL'> & { NODE_ENV?: WebEnv['NODE_ENV'] };
  /** better-auth's per-IP limiter (in Postgres). Tests that hammer sign-in turn it off. */
  rateLimit?: boolean;
}

/**
 * better-auth, configured for Lianjian: e-mail + password only (no self sign-up: users come from
 * an admin or `create-user`), argon2id, database sessions without refresh (absolute timeout;
 * the idle timeout lives in resolveCaller), TOTP second factor, account lockout and audit rows
 * for every sign-in attempt.
 */
export function createAuth({ db, env, rateLimit = true }: CreateAuthOptions) {
  /**
   * The e-mail of the user half-way through a sign-in (password right, code pending), from the
   * signed two-factor cookie better-auth set at the first step; null when there is none (e.g.
   * enrolment by a signed-in user, which needs the password anyway).
   */
  const pendingSecondFactorEmail = async (ctx: TwoFactorHookCtx): Promise<string | null> => {
    const cookie = ctx.context.createAuthCookie('two_factor');
    const identifier = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
    if (!identifier) return null;
    const verification = await ctx.context.internalAdapter.findVerificationValue(identifier);
    if (!verification) return null;
    const [user] = await db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.id, verification.value));
    return user?.email ?? null;
  };

  // Secure cookies unless an http origin is configured explicitly: in production an unset
  // BASE_URL no longer means "send the session over plain http".
  const secure = env.BASE_URL ? env.BASE_URL.startsWith('https://') : env.NODE_ENV === 'production';

  const auditSignIn = async (
    headers: Headers | undefined,
    email: string,
    action: string,
    details: Record<string, unknown>,
  ) => {
    const [user] = await db
      .select({ id: users.id, regionCode: users.regionCode })
      .from(users)
      .where(eq(users.email, email));
    await writeAudit(db, {
      actor: { id: user?.id ?? null, label: email, regionCode: user?.regionCode ?? null },
      action,
      target: user ? `user:${user.id}` : null,
      details,
      ip: headers ? clientIp(headers) : null,
    });
  };

  return betterAuth({
    appName: '链监 Lianjian',
    secret: env.AUTH_SECRET,
    baseURL: env.BASE_URL,
    basePath: AUTH_BASE_PATH,
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        twoFactor: twoFactors,
        rateLimit: authRateLimits,
      },
    }),
    user: {
      // Ours, not better-auth's: declared so its schema check knows them; never user input.
      // Users are only created by createUser (sign-up is off), which always sets the role; the
      // default only satisfies the check and is the least privileged role.
      additionalFields: {
        role: { type: 'string', required: true, input: false, defaultValue: 'leadership' },
        regionCode: { type: 'number', required: false, input: false },
        disabled: { type: 'boolean', required: true, input: false, defaultValue: false },
      },
    },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
      password: { hash: hashPassword, verify: verifyPassword },
    },
    session: {
      expiresIn: SESSION_ABSOLUTE_SECONDS,
      disableSessionRefresh: true,
      // Every request reads the session row, so revoking or disabling takes effect at once.
      cookieCache: { enabled: false },
      // Ours, moved by resolveCaller: declared so the session read returns it (the idle timeout).
      additionalFields: {
        lastSeenAt: { type: 'date', required: false, input: false },
      },
    },
    rateLimit: {
      enabled: rateLimit,
      storage: 'database',
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/email': { window: 60, max: 10 },
        '/two-factor/*': { window: 60, max: 10 },
      },
    },
    advanced: {
      useSecureCookies: secure,
      // better-auth relaxes both under NODE_ENV=test; pin them so tests see production behaviour.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
      database: { generateId: () => randomUUID() },
      ipAddress: { ipAddressHeaders: ['x-forwarded-for', 'x-real-ip'] },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const secondFactor = SECOND_FACTOR_PATHS.includes(ctx.path);
        if (ctx.path !== '/sign-in/email' && !secondFactor) return;
        // One limiter for every sign-in path (the HTTP endpoint and the login form's server
        // action alike: hooks run for both), keyed by the address server/auth/ip.ts believes.
        if (rateLimit) {
          const ip = ctx.headers ? clientIp(ctx.headers) : null;
          const n = await countSignInRequest(db, `signin:${ip ?? 'unknown'}`);
          if (n > SIGN_IN_LIMIT.max) {
            throw new APIError('TOO_MANY_REQUESTS', {
              code: 'RATE_LIMITED',
              message: 'too many sign-in attempts from this address; wait a minute',
            });
          }
        }
        const email = secondFactor ? await pendingSecondFactorEmail(ctx) : signInEmail(ctx.body);
        if (!email) return;
        // Counted before evaluation, atomically: parallel guesses cannot all slip in before the lock.
        const attempt = await reserveAttempt(db, email);
        if (!attempt.allowed) {
          await auditSignIn(
            ctx.headers,
            email,
            secondFactor ? 'auth.second_factor_failed' : 'auth.sign_in_failed',
            {
              reason: 'locked',
            },
          );
          throw new APIError('TOO_MANY_REQUESTS', {
            code: 'ACCOUNT_LOCKED',
            message: `too many failed sign-ins; try again after ${attempt.lockedUntil?.toISOString() ?? 'a while'}`,
          });
        }
        if (secondFactor) return;
        // A disabled account fails exactly like a wrong password: nothing to learn from it.
        const [user] = await db
          .select({ disabled: users.disabled })
          .from(users)
          .where(eq(users.email, email));
        if (user?.disabled) {
          await auditSignIn(ctx.headers, email, 'auth.sign_in_failed', { reason: 'disabled' });
          throw new APIError('UNAUTHORIZED', {
            code: 'INVALID_EMAIL_OR_PASSWORD',
            message: 'Invalid email or password',
          });
        }
      }),
      // Runs before the two-factor plugin's hook, so newSession still tells a correct password.
      after: createAuthMiddleware(async (ctx) => {
        const returned = ctx.context.returned;
        if (ctx.path === '/sign-in/email') {
          const body = ctx.body as { email?: unknown } | undefined;
          if (typeof body?.email !== 'string') return;
          const email = normaliseEmail(body.email);
          const failed = isAPIError(returned);
          if (failed) {
            // Lockout refusals were counted and audited in the before hook.
            if (returned.body?.code === 'ACCOUNT_LOCKED' || returned.body?.code === 'RATE_LIMITED') return;
            // The attempt was counted before evaluation (reserveAttempt).
            const lockEnd = await lockedUntil(db, email);
            await auditSignIn(ctx.headers, email, 'auth.sign_in_failed', {
              reason: returned.body?.code ?? returned.status,
              ...(lockEnd ? { lockedUntil: lockEnd.toISOString() } : {}),
            });
            return;
          }
          const session = ctx.context.newSession;
          if (!session) return;
          const pending = Boolean((session.user as { twoFactorEnabled?: boolean }).twoFactorEnabled);
          // With a second factor pending the count stays: only a complete sign-in clears it, so
          // a known password does not buy fresh guesses at the code.
          if (!pending) await clearFailures(db, email);
          await auditSignIn(ctx.headers, email, pending ? 'auth.password_ok' : 'auth.sign_in', {
            secondFactor: pending ? 'pending' : 'none',
          });
          return;
        }
        if (ctx.path === '/two-factor/verify-totp' || ctx.path === '/two-factor/verify-backup-code') {
          const session = ctx.context.newSession;
          if (isAPIError(returned)) {
            if (returned.body?.code === 'ACCOUNT_LOCKED' || returned.body?.code === 'RATE_LIMITED') return;
            const email = await pendingSecondFactorEmail(ctx);
            if (email) {
              await auditSignIn(ctx.headers, email, 'auth.second_factor_failed', {
                path: ctx.path,
                reason: returned.body?.code ?? returned.status,
              });
            } else {
              await writeAudit(db, {
                actor: { id: null, label: 'unknown' },
                action: 'auth.second_factor_failed',
                details: { path: ctx.path, reason: returned.body?.code ?? returned.status },
                ip: ctx.headers ? clientIp(ctx.headers) : null,
              });
            }
          } else if (session) {
            await clearFailures(db, session.user.email);
            // Both a sign-in's second step and TOTP enrolment end here.
            await auditSignIn(ctx.headers, session.user.email, 'auth.second_factor_ok', {
              method: ctx.path.endsWith('totp') ? 'totp' : 'backup_code',
            });
          }
          return;
        }
        // Changes to a user's own credentials are on record (security review item 5).
        const credentialChange: Record<string, string> = {
          '/two-factor/disable': 'auth.second_factor_disabled',
          '/two-factor/enable': 'auth.second_factor_enrol_started',
          '/change-password': 'auth.password_changed',
        };
        const action = credentialChange[ctx.path];
        if (action && !isAPIError(returned)) {
          const session = ctx.context.session ?? ctx.context.newSession;
          if (session) await auditSignIn(ctx.headers, session.user.email, action, {});
        }
      }),
    },
    // nextCookies must be last: it copies Set-Cookie into Next's cookie store in server actions.
    plugins: [twoFactor({ issuer: '链监 Lianjian' }), nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;
