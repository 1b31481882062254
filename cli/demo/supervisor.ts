import { spawn, type ChildProcess } from 'node:child_process';

export interface Supervisor {
  start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess;
  /** Stops every child (SIGTERM, then SIGKILL after `graceMs`) in reverse start order. */
  stopAll(graceMs?: number): Promise<void>;
}

/** Children of the demo: their output is prefixed with their name; one that dies takes the demo down. */
export function createSupervisor(onUnexpectedExit: (name: string, code: number | null) => void): Supervisor {
  const children: { name: string; child: ChildProcess }[] = [];
  let stopping = false;
  const prefix = (name: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let buf = '';
    stream?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) out.write(`[${name}] ${l}\n`);
    });
  };
  return {
    start(name, cmd, args, env) {
      // Its own process group, so stopping it also stops whatever it started (npx → next-server).
      const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      prefix(name, child.stdout, process.stdout);
      prefix(name, child.stderr, process.stderr);
      child.on('exit', (code) => {
        if (!stopping) onUnexpectedExit(name, code);
      });
      children.push({ name, child });
      return child;
    },
    async stopAll(graceMs = 25_000) {
      stopping = true;
      for (const { child } of [...children].reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          const signalGroup = (sig: NodeJS.Signals) => {
            try {
              if (child.pid) process.kill(-child.pid, sig);
            } catch {
              child.kill(sig);
            }
          };
          signalGroup('SIGTERM');
          setTimeout(() => signalGroup('SIGKILL'), graceMs).unref();
        });
      }
    },
  };
}
