/**
 * Session lifetimes. better-auth's own refresh is off, so a session's expires_at is fixed at
 * sign-in: that is the absolute timeout. The idle timeout is ours, measured from
 * sessions.last_seen_at, which resolveCaller moves at most once per TOUCH_INTERVAL.
 */
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60; // one working day, then sign in again
export const SESSION_IDLE_MS = 30 * 60_000; // an unattended desk locks itself after 30 min
export const SESSION_TOUCH_INTERVAL_MS = 60_000; // at most one write per session per minute
