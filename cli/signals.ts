/**
 * SIGTERM and SIGINT for `work`, listened for from the process's first moment.
 *
 * cli/stop-signals.mjs (preloaded) or else cli/main.ts (first thing it does) installs the listener
 * before the commands' modules load, which takes seconds on a busy machine: a signal during
 * start-up, before `work` has opened anything, exits 0 at once; after, it starts an orderly stop —
 * instead of the process dying of the signal (exit 143/130). Every later signal is ignored: systemd, npm and a terminal may each deliver one
 * (a process group and its parent), and a second one must not cut a clean stop short.
 * This module imports nothing.
 */
interface StopState {
  signal: string | null;
  waiters: ((signal: string) => void)[];
  /** Set once `work` starts opening connections; before, a stop is an immediate exit 0. */
  claimed: boolean;
}

const KEY = '__lianjianStop';
const holder = globalThis as unknown as Record<typeof KEY, StopState | undefined>;

export function listenForStop(): void {
  if (holder[KEY]) return;
  const stop: StopState = { signal: null, waiters: [], claimed: false };
  holder[KEY] = stop;
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    process.on(name, () => {
      if (!stop.claimed) process.exit(0);
      if (stop.signal) return;
      stop.signal = name;
      for (const w of stop.waiters.splice(0)) w(name);
    });
  }
}

/**
 * Claims the stop signals for an orderly stop (until then a signal exits 0 at once) and resolves
 * with the first one.
 */
export function stopRequested(): Promise<string> {
  listenForStop();
  const stop = holder[KEY]!;
  stop.claimed = true;
  if (stop.signal) return Promise.resolve(stop.signal);
  return new Promise((resolve) => stop.waiters.push(resolve));
}
