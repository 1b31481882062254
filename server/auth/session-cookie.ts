import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCookies } from 'better-auth/cookies';
import type { Auth } from './better-auth';

/** Where better-auth keeps the session: its cookie's name (prefixed when secure) and the signing secret. */
export interface SessionCookie {
  name: string;
  secret: string;
}

const known = new WeakMap<Auth, Promise<SessionCookie>>();

/** The session cookie `auth` sets, read from its own context so names and secret never drift. */
export function sessionCookieOf(auth: Auth): Promise<SessionCookie> {
  let c = known.get(auth);
  if (!c) {
    c = auth.$context.then((ctx) => ({ name: ctx.authCookies.sessionToken.name, secret: ctx.secret }));
    known.set(auth, c);
  }
  return c;
}

/** better-auth signs a cookie as `value.base64(HMAC-SHA256(secret, value))`: 44 characters, padded. */
const SIGNATURE_LENGTH = 44;

/**
 * The session token of a `Cookie` header when its signature is better-auth's; null when the cookie
 * is absent, malformed or forged. The same check better-auth's session read makes, synchronously:
 * its own goes through Web Crypto and its endpoint machinery on every call.
 */
export function signedSessionToken(cookieHeader: string, cookie: SessionCookie): string | null {
  const value = parseCookies(cookieHeader).get(cookie.name);
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== SIGNATURE_LENGTH || !signature.endsWith('=')) return null;
  const expected = createHmac('sha256', cookie.secret).update(token).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}
