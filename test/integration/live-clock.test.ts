import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toEventSelector } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnvilProcess } from '../../chain/anvil';
import { readRegistered } from '../../chain/simulate/existing';
import { followWallClock, startLiveActivity } from '../../chain/simulate/live';
import { createRpc } from '../../chain/simulate/rpc';
import { EVENT_SIGNATURES } from '../../domain/events';
import { rpc, startTestAnvil } from '../helpers/anvil';
import { testClock } from '../helpers/clock';
import { addr, createScenario, id } from '../helpers/scenario';

/** The pinned wall clock; the chain starts five days before it, as a demo chain after its history. */
const NOW = testClock();
let anvil: AnvilProcess;
let scenario: Awaited<ReturnType<typeof createScenario>>;

beforeAll(async () => {
  anvil = await startTestAnvil({ genesisTimestamp: NOW - 5 * 86_400 });
  scenario = await createScenario(anvil.url, join(mkdtempSync(join(tmpdir(), 'lj-live-')), 'd.json'));
  await scenario.registerOrg(addr('gz-police'), 440100, 1, '广州市公安局');
  await scenario.registerDataset(id('ds-1'), addr('gz-police'), 1, 3, '广州市常住人口基本信息');
  // The same title again under another id: the first registration is the one live activity uses.
  await scenario.registerDataset(id('ds-2'), addr('gz-police'), 1, 3, '广州市常住人口基本信息');
}, 120_000);
afterAll(async () => {
  await anvil?.stop();
});

describe('live activity follows the wall clock and continues the world on the chain', () => {
  it('a head behind the clock is brought to it: the next block carries `now`', async () => {
    const r = createRpc(anvil.url);
    const head = await rpc<{ timestamp: string }>(anvil.url, 'eth_getBlockByNumber', ['latest', false]);
    expect(Number(BigInt(head.timestamp))).toBeLessThan(NOW - 4 * 86_400);
    expect(await followWallClock(r, NOW)).toBe(NOW);
    await rpc(anvil.url, 'evm_mine', []);
    const next = await rpc<{ timestamp: string }>(anvil.url, 'eth_getBlockByNumber', ['latest', false]);
    expect(Number(BigInt(next.timestamp))).toBe(NOW);
  });

  it('a head ahead of the clock is left alone (it cannot go back; /chain warns instead)', async () => {
    const r = createRpc(anvil.url);
    expect(await followWallClock(r, NOW - 3600)).toBe(NOW);
  });

  it('reads the members and datasets already registered, first registration per owner and title', async () => {
    const known = await readRegistered(createRpc(anvil.url), scenario.deployment);
    expect([...known.orgs]).toEqual([addr('gz-police').toLowerCase()]);
    expect([...known.datasets]).toEqual([
      [`${addr('gz-police').toLowerCase()}|广州市常住人口基本信息`, id('ds-1')],
    ]);
    expect(known.grants.size).toBe(0);
  });

  it('two starts of the demo on one chain issue its grants once: the second finds them and grants nothing', async () => {
    const start = () =>
      startLiveActivity({
        conn: scenario.conn,
        deployment: scenario.deployment,
        seed: 'demo',
        eventsPerSecond: 0,
        now: () => NOW,
      });
    const first = await start();
    await first.stop();
    const afterFirst = await readRegistered(createRpc(anvil.url), scenario.deployment);
    expect(afterFirst.grants.size).toBe(200);
    const second = await start();
    await second.stop();
    const grantedLogs = await rpc<unknown[]>(anvil.url, 'eth_getLogs', [
      {
        address: scenario.deployment.contracts.DataSharing.address,
        fromBlock: '0x0',
        toBlock: 'latest',
        topics: [toEventSelector(EVENT_SIGNATURES.AccessGranted)],
      },
    ]);
    expect(grantedLogs).toHaveLength(200);
    expect((await readRegistered(createRpc(anvil.url), scenario.deployment)).grants).toEqual(
      afterFirst.grants,
    );
  });
});
