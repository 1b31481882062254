import type { ChildProcess } from 'node:child_process';
import { exited, spawnWorker, STOP_LISTENER_MARK } from './processes';

export interface WorkerFleet {
  /**
   * SIGKILLs the worker in `slot` (default: the next in turn) and starts its replacement after
   * `restartAfterMs`.
   */
  killOne(restartAfterMs: number, slot?: number): Promise<void>;
  /**
   * SIGTERMs the worker in `slot` once it listens for the signal (a node process still booting
   * dies of any signal, whatever its code says: see stop-listener-mark.mjs), waits for it to exit
   * (null: it died of the signal instead of stopping cleanly), then starts its replacement after `restartAfterMs`. Resolves with the exit
   * code, or 'absent' when the slot had no running worker (it died on its own and awaits revival).
   */
  termOne(slot: number, restartAfterMs: number): Promise<number | null | 'absent'>;
  /** Starts a replacement for every worker that died on its own; returns how many. */
  reviveDead(): number;
  /**
   * Exits nobody asked for, with the worker's last stderr line: `lianjian work: …` is a start-up
   * refusal (fail fast, systemd restarts it); anything else is a crash, a finding.
   */
  unexpectedExits: { slot: number; code: number | null; reason: string }[];
  /** Whether the worker in `slot` has said `workers started` (needs LOG_LEVEL info or lower). */
  ready(slot: number): boolean;
  /** Milliseconds from spawn to `workers started`, one entry per start that got there. */
  startupMs: number[];
  /** SIGTERMs every worker; resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
  /** SIGKILLs whatever still runs (afterAll safety net). */
  kill(): Promise<void>;
}

/**
 * `size` worker processes (`npm run cli -- work`), each slot with its own extra environment (one
 * may serve metrics). Slots are restarted in place, so the fleet size stays constant.
 */
export function startWorkerFleet(
  env: Record<string, string>,
  size: number,
  slotEnv: (slot: number) => Record<string, string> = () => ({}),
): WorkerFleet {
  const slots: (ChildProcess | null)[] = [];
  const killed = new Set<ChildProcess>();
  const unexpectedExits: WorkerFleet['unexpectedExits'] = [];
  const readySet = new Set<ChildProcess>();
  const listening = new Set<ChildProcess>();
  /** Resolves once `child` listens for SIGTERM or has exited (at most 15 s). */
  const whenListening = async (child: ChildProcess) => {
    const until = Date.now() + 15_000;
    while (
      !listening.has(child) &&
      child.exitCode === null &&
      child.signalCode === null &&
      Date.now() < until
    )
      await new Promise((r) => setTimeout(r, 10));
  };
  const startupMs: number[] = [];
  const start = (slot: number) => {
    const spawned = Date.now();
    const child = spawnWorker({ ...env, ...slotEnv(slot) });
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4_000);
      if (tail.includes(STOP_LISTENER_MARK)) listening.add(child);
      if (!readySet.has(child) && tail.includes('"msg":"workers started"')) {
        readySet.add(child);
        startupMs.push(Date.now() - spawned);
      }
    });
    child.once('exit', (code) => {
      const lines = tail.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
      const reason = lines.find((l) => l.startsWith('lianjian ')) ?? lines.find((l) => /Error/.test(l)) ?? '';
      if (!killed.has(child)) unexpectedExits.push({ slot, code, reason: reason.slice(0, 200) });
      if (slots[slot] === child) slots[slot] = null;
    });
    slots[slot] = child;
  };
  for (let i = 0; i < size; i++) start(i);
  let next = 0;
  // Once the fleet is being stopped, nothing revives it.
  let stopping = false;
  return {
    unexpectedExits,
    startupMs,
    ready(slot) {
      const child = slots[slot];
      return child !== null && child !== undefined && readySet.has(child);
    },
    async killOne(restartAfterMs, chosen) {
      const slot = chosen ?? next++ % size;
      const child = slots[slot];
      if (child) {
        killed.add(child);
        child.kill('SIGKILL');
        await exited(child);
      }
      await new Promise((r) => setTimeout(r, restartAfterMs));
      if (!slots[slot]) start(slot);
    },
    async termOne(slot, restartAfterMs) {
      const child = slots[slot];
      let code: number | null | 'absent' = 'absent';
      if (child) {
        await whenListening(child);
        killed.add(child);
        child.kill('SIGTERM');
        code = await exited(child);
      }
      await new Promise((r) => setTimeout(r, restartAfterMs));
      if (!slots[slot]) start(slot);
      return code;
    },
    reviveDead() {
      let n = 0;
      if (stopping) return n;
      for (let i = 0; i < size; i++) {
        if (!slots[i]) {
          start(i);
          n += 1;
        }
      }
      return n;
    },
    async stop() {
      stopping = true;
      const live = slots.filter((c): c is ChildProcess => c !== null);
      await Promise.all(live.map(whenListening));
      for (const c of live) {
        killed.add(c);
        c.kill('SIGTERM');
      }
      return Promise.all(live.map((c) => exited(c)));
    },
    async kill() {
      stopping = true;
      const live = slots.filter((c): c is ChildProcess => c !== null && c.exitCode === null);
      for (const c of live) {
        killed.add(c);
        c.kill('SIGKILL');
      }
      await Promise.all(live.map((c) => exited(c)));
    },
  };
}
