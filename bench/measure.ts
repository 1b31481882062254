import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) of a process so far, from /proc; null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ
  } catch {
    return null;
  }
}

/** Postgres backends serving one database: their process title names it. */
export function backendsOf(dbName: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${dbName} `)) out.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

export interface Measured {
  stdout: string;
  stderr: string;
  code: number | null;
  peakRssMb: number;
  ms: number;
  /** CPU seconds of the process itself, of the Postgres backends of `watch.dbName`, of `watch.pid`. */
  cpu: { self: number; postgres: number; other: number };
}

/**
 * Runs a command, sampling its resident memory from /proc every 50 ms; returns stdout, peak RSS,
 * wall time from spawn to exit and the CPU it (and, optionally, its database's backends and
 * another process such as the node) used meanwhile.
 */
export function runMeasured(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  watch: { dbName?: string; pid?: number } = {},
): Promise<Measured> {
  return new Promise((resolve) => {
    const started = Date.now();
    const other0 = watch.pid ? (cpuSeconds(watch.pid) ?? 0) : 0;
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    let self = 0;
    const backendCpu = new Map<number, number>();
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let tick = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
        self = Math.max(self, cpuSeconds(child.pid!) ?? 0);
      } catch {
        // exited between samples
      }
      // Backends live as long as the pool: a scan every 250 ms sees each one's final figure
      // to within that quarter second.
      if (watch.dbName && tick++ % 5 === 0) {
        for (const pid of backendsOf(watch.dbName)) {
          const c = cpuSeconds(pid);
          if (c !== null) backendCpu.set(pid, c);
        }
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      const other = watch.pid ? (cpuSeconds(watch.pid) ?? other0) - other0 : 0;
      const postgres = [...backendCpu.values()].reduce((a, b) => a + b, 0);
      resolve({
        stdout,
        stderr,
        code,
        peakRssMb: Math.round(peakKb / 1024),
        ms: Date.now() - started,
        cpu: { self: round2(self), postgres: round2(postgres), other: round2(other) },
      });
    });
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}
