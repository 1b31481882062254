import type { ChildProcess } from 'node:child_process';
import { exited, spawnWorker } from './processes';

export interface WorkerFleet {
  /** SIGKILLs the next worker in turn and starts its replacement after `restartAfterMs`. */
  killOne(restartAfterMs: number): Promise<void>;
  /** Starts a replacement for every worker that died on its own; returns how many. */
  reviveDead(): number;
  /**
   * Exits nobody asked for, with the worker's last stderr line: `lianjian work: …` is a start-up
   * refusal (fail fast, systemd restarts it); anything else is a crash, a finding.
   */
  unexpectedExits: { slot: number; code: number | null; reason: string }[];
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
  const start = (slot: number) => {
    const child = spawnWorker({ ...env, ...slotEnv(slot) });
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4_000);
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
  return {
    unexpectedExits,
    async killOne(restartAfterMs) {
      const slot = next++ % size;
      const child = slots[slot];
      if (child) {
        killed.add(child);
        child.kill('SIGKILL');
        await exited(child);
      }
      await new Promise((r) => setTimeout(r, restartAfterMs));
      if (!slots[slot]) start(slot);
    },
    reviveDead() {
      let n = 0;
      for (let i = 0; i < size; i++) {
        if (!slots[i]) {
          start(i);
          n += 1;
        }
      }
      return n;
    },
    async stop() {
      const live = slots.filter((c): c is ChildProcess => c !== null);
      for (const c of live) {
        killed.add(c);
        c.kill('SIGTERM');
      }
      return Promise.all(live.map((c) => exited(c)));
    },
    async kill() {
      const live = slots.filter((c): c is ChildProcess => c !== null && c.exitCode === null);
      for (const c of live) {
        killed.add(c);
        c.kill('SIGKILL');
      }
      await Promise.all(live.map((c) => exited(c)));
    },
  };
}
