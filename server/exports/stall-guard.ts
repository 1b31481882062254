import type { Duplex } from 'node:stream';

/**
 * How long an export waits for its client to read before it gives up (ms). Slow networks read a
 * page (≈ 1,000 rows, a few hundred KiB) in seconds; a client that reads nothing for a minute has
 * paused the stream on purpose or gone, and is holding a pooled connection and a snapshot.
 */
export const EXPORT_STALL_MS = 60_000;

/**
 * Ends `out` (the export's response stream) with an error when its buffer has been full, and its
 * client has taken nothing, for `stallMs`. The export's writer sees the stream destroyed, its read
 * transaction rolls back and the connection goes back to the pool. Postgres's own
 * idle_in_transaction_session_timeout (pool.ts) is longer and only a backstop.
 */
export function guardStall(out: Duplex, stallMs = EXPORT_STALL_MS): void {
  let lastProgress = Date.now();
  out.on('drain', () => (lastProgress = Date.now()));
  const timer = setInterval(
    () => {
      if (!out.writableNeedDrain) {
        lastProgress = Date.now();
        return;
      }
      if (Date.now() - lastProgress >= stallMs) {
        clearInterval(timer);
        out.destroy(new Error(`the client read nothing for ${stallMs / 1000} s; export ended`));
      }
    },
    Math.max(50, Math.floor(stallMs / 4)),
  );
  timer.unref();
  out.once('close', () => clearInterval(timer));
}
