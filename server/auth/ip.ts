import { trustedProxies } from '../env';

/**
 * The client address for the audit log and the sign-in limiter. X-Forwarded-For is a list each
 * hop appends to, so only its right end is trustworthy: walking from the right, addresses of
 * configured proxies (TRUSTED_PROXIES) are skipped and the first other address is the client.
 * With no proxy configured only the last entry counts — the one the nearest hop (the reverse
 * proxy, or Next.js itself from the socket when the client sent none) wrote — so a client
 * cannot pick its own key by sending X-Forwarded-For. X-Real-IP is used only when no
 * X-Forwarded-For is present.
 */
export function clientIp(headers: Headers, trusted: readonly string[] = trustedProxies()): string | null {
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i]!;
    if (!trusted.includes(hop) || i === 0) return hop.slice(0, 64);
  }
  return headers.get('x-real-ip')?.trim().slice(0, 64) || null;
}
