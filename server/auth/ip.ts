/**
 * The client address for the audit log and rate limits. Behind a reverse proxy the proxy must
 * set X-Forwarded-For / X-Real-IP; the first X-Forwarded-For hop is the client as the proxy saw it.
 */
export function clientIp(headers: Headers): string | null {
  const fwd = headers.get('x-forwarded-for');
  const first = fwd?.split(',')[0]?.trim();
  if (first) return first.slice(0, 64);
  return headers.get('x-real-ip')?.slice(0, 64) ?? null;
}
