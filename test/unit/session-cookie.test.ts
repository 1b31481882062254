import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedSessionToken } from '../../server/auth/session-cookie';

const cookie = { name: 'better-auth.session_token', secret: 'a test secret of enough length 0123' };
const sign = (token: string, secret = cookie.secret) =>
  `${token}.${createHmac('sha256', secret).update(token).digest('base64')}`;
const header = (value: string, name = cookie.name) => `theme=dark; ${name}=${encodeURIComponent(value)}; x=1`;

describe('signedSessionToken', () => {
  it('returns the token of a cookie signed with the secret, URL-encoded as better-auth sets it', () => {
    expect(signedSessionToken(header(sign('TokenAbc123')), cookie)).toBe('TokenAbc123');
  });

  it('refuses a cookie signed with another secret, a changed token, or a changed signature', () => {
    expect(signedSessionToken(header(sign('TokenAbc123', 'another secret')), cookie)).toBeNull();
    expect(
      signedSessionToken(header(sign('TokenAbc123').replace('TokenAbc123', 'TokenAbc124')), cookie),
    ).toBeNull();
    const s = sign('TokenAbc123');
    const flipped = s.slice(0, -3) + (s.at(-3) === 'A' ? 'B' : 'A') + s.slice(-2);
    expect(signedSessionToken(header(flipped), cookie)).toBeNull();
  });

  it('refuses what is not a signed value: no cookie, no dot, a short or unpadded signature', () => {
    expect(signedSessionToken('theme=dark', cookie)).toBeNull();
    expect(signedSessionToken(header('TokenAbc123'), cookie)).toBeNull();
    expect(signedSessionToken(header('.abc='), cookie)).toBeNull();
    expect(signedSessionToken(header('TokenAbc123.' + 'A'.repeat(43) + '='), cookie)).toBeNull();
    expect(signedSessionToken(header('TokenAbc123.' + 'A'.repeat(44)), cookie)).toBeNull();
  });

  it('reads only the cookie of its own name (a secure deployment prefixes it)', () => {
    expect(
      signedSessionToken(header(sign('TokenAbc123'), '__Secure-better-auth.session_token'), cookie),
    ).toBeNull();
    const secure = { ...cookie, name: '__Secure-better-auth.session_token' };
    expect(signedSessionToken(header(sign('TokenAbc123'), secure.name), secure)).toBe('TokenAbc123');
  });
});
