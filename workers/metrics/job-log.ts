/**
 * The first line of an error's message: viem puts the request URL and body on later lines, and an
 * RPC URL can carry an access key, so job logs keep only the operator's one-line reason.
 */
export function errorLine(e: unknown): string {
  const err = e as { shortMessage?: unknown; message?: unknown };
  const msg = typeof err.shortMessage === 'string' ? err.shortMessage : String(err.message ?? e);
  return (msg.split('\n')[0] ?? msg).slice(0, 300);
}

/** Event counts by name of one committed range, for `lianjian_events_indexed_total`. */
export function countByName(events: readonly { eventName: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[e.eventName] = (out[e.eventName] ?? 0) + 1;
  return out;
}
