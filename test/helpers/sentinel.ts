import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './anvil';
import { exited, startOwnRedis } from './processes';
import { waitFor } from './wait';

export interface SentinelGroup {
  masterName: string;
  /** `REDIS_SENTINELS` for this group. */
  sentinels: string;
  masterPort: number;
  replicaPort: number;
  /** SIGKILLs the master; resolves once the sentinels have promoted the replica. */
  killMaster(): Promise<void>;
  /** Port the sentinels now name as master. */
  currentMasterPort(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A master, one replica and three sentinels (quorum 2) of the test's own, on free ports: Debian's
 * redis-server in sentinel mode is the same binary as `redis-sentinel`. Timings are short so a
 * failover takes a few seconds instead of the production default of 30 s.
 */
export async function startSentinelGroup(masterName = 'lianjian-test'): Promise<SentinelGroup> {
  const master = await startOwnRedis();
  const replica = await startOwnRedis(undefined, ['--replicaof', '127.0.0.1', String(master.port)]);
  const dir = mkdtempSync(join(tmpdir(), 'lj-sentinel-'));
  const sentinelPorts: number[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${i}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 4000`,
        `sentinel parallel-syncs ${masterName} 1`,
        '',
      ].join('\n'),
    );
    children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    sentinelPorts.push(port);
  }
  const ask = async (): Promise<number> => {
    const s = new Redis({
      port: sentinelPorts[0],
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    s.on('error', () => {});
    try {
      await s.connect();
      const addr = (await s.call('SENTINEL', 'get-master-addr-by-name', masterName)) as string[] | null;
      return addr ? Number(addr[1]) : -1;
    } catch {
      return -1;
    } finally {
      s.disconnect();
    }
  };
  // The replica must be in sync and every sentinel must know the others before a failover can work.
  await waitFor(
    'replica in sync',
    async () => {
      const r = new Redis({ port: replica.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
      try {
        return /master_link_status:up/.test(await r.info('replication'));
      } finally {
        r.disconnect();
      }
    },
    20_000,
  );
  await waitFor(
    'sentinels see each other',
    async () => {
      const s = new Redis({ port: sentinelPorts[0], host: '127.0.0.1', maxRetriesPerRequest: 1 });
      try {
        const info = (await s.call('SENTINEL', 'master', masterName)) as string[];
        const at = info.indexOf('num-other-sentinels');
        return at >= 0 && Number(info[at + 1]) >= 2;
      } catch {
        return false;
      } finally {
        s.disconnect();
      }
    },
    20_000,
  );
  return {
    masterName,
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    masterPort: master.port,
    replicaPort: replica.port,
    currentMasterPort: ask,
    async killMaster() {
      await master.kill();
      await waitFor('replica promoted', async () => (await ask()) === replica.port, 30_000);
    },
    async close() {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(children.map((c) => exited(c)));
      await replica.kill();
      await master.kill();
    },
  };
}
