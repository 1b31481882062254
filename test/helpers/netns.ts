import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestHost {
  name: string;
  /** The host's own address inside its namespace. */
  address: string;
  /** The address by which the host reaches this machine (the veth's other end). */
  gateway: string;
  /** Starts a process inside the host's namespace. */
  spawn(cmd: string, args: string[], opts: { env: Record<string, string | undefined> }): ChildProcess;
  /** SIGKILLs every process of the host and cuts its link: the machine is gone. */
  crash(): Promise<void>;
  /** Brings a crashed host's link back up (its processes stay dead). */
  revive(): Promise<void>;
}

export interface TestHosts {
  hosts: TestHost[];
  /** The subnet every host lives in, e.g. for pg_hba. */
  subnet: string;
  close(): Promise<void>;
}

/** Network namespaces need root (CI runs as root); elsewhere the multi-host tests skip with a reason. */
export function canMakeHosts(): boolean {
  return process.getuid?.() === 0;
}

/**
 * `n` hosts as network namespaces, each joined to this machine by a veth pair of its own, in a
 * random 10.231.x.0/24 so parallel runs do not meet. Only what this function created is touched,
 * and close() removes it (deleting a namespace deletes its veth).
 */
export async function createTestHosts(n: number): Promise<TestHosts> {
  const tag = randomInt(0x1000, 0xffff).toString(16);
  const net = randomInt(0, 256);
  const hosts: TestHost[] = [];
  const names: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const name = `lj${tag}h${i}`;
      const outside = `lj${tag}v${i}`;
      const gateway = `10.231.${net}.${4 * i + 1}`;
      const address = `10.231.${net}.${4 * i + 2}`;
      await run('ip', ['netns', 'add', name]);
      names.push(name);
      await run('ip', ['link', 'add', outside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      await run('ip', ['addr', 'add', `${gateway}/30`, 'dev', outside]);
      await run('ip', ['link', 'set', outside, 'up']);
      await run('ip', ['-n', name, 'addr', 'add', `${address}/30`, 'dev', 'eth0']);
      await run('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
      await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
      hosts.push({
        name,
        address,
        gateway,
        spawn: (cmd, args, opts) =>
          spawn('ip', ['netns', 'exec', name, cmd, ...args], {
            env: { ...process.env, ...opts.env },
            stdio: ['ignore', 'ignore', 'pipe'],
          }),
        async crash() {
          const { stdout } = await run('ip', ['netns', 'pids', name]);
          for (const pid of stdout.split(/\s+/).filter(Boolean)) {
            try {
              process.kill(Number(pid), 'SIGKILL');
            } catch {
              // already gone
            }
          }
          await run('ip', ['link', 'set', outside, 'down']).catch(() => {});
        },
        async revive() {
          await run('ip', ['link', 'set', outside, 'up']);
        },
      });
    }
  } catch (e) {
    for (const name of names) await run('ip', ['netns', 'del', name]).catch(() => {});
    throw e;
  }
  return {
    hosts,
    subnet: `10.231.${net}.0/24`,
    async close() {
      for (const h of hosts) await h.crash().catch(() => {});
      for (const name of names) await run('ip', ['netns', 'del', name]).catch(() => {});
    },
  };
}
