import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature of a webhook body: HMAC-SHA256 over `${timestamp}.${body}` (the timestamp is signed so
 * a captured request cannot be replayed later with a fresh header).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header. */
export function verifyWebhook(secret: string, timestamp: number, body: string, header: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
