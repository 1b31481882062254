import type { Deployment } from '../deployment';
import type { ChainConnection } from '../wallet';
import { modesOf } from '../../domain/codes';
import { encodeBatch } from './encode';
import { readRegistered } from './existing';
import { CALL_INFO, CALL_ORDER, PlanBuffer, type CallKind, type Items } from './plan';
import { buildPopulation, GrantFactory, type Grant } from './population';
import { createRng, positiveWithMean } from './prng';
import { shanghaiDayIndex } from './rhythm';
import { createRpc, hex } from './rpc';
import { SCALES } from './scale';

export interface LiveOptions {
  conn: ChainConnection;
  deployment: Deployment;
  seed: string | number;
  eventsPerSecond: number;
  /** Wall clock in unix seconds (tests pin it); live blocks follow it. */
  now?: () => number;
}

export interface LiveActivity {
  stop(): Promise<void>;
  /** Events sent so far. */
  sent(): number;
}

/** Live pairs stay well under the 1000-record floor even if node and wall-clock days disagree. */
const LIVE_PAIR_DAY_CAP = 400;

/**
 * Keeps sending lawful activity in real time for the demo's live view: it (re)registers the seed's
 * departments, registers a few datasets and long-lived same-province grants of its own, then every
 * second sends accesses, certificates (issued, later verified) and cases. The node mines by itself
 * (automine or a block time). Live activity happens now: a head behind the wall clock (the end of
 * simulated history, or a chain resumed after a pause) is brought to it once at the start, so the
 * live blocks carry real times (see followWallClock).
 */
export async function startLiveActivity(o: LiveOptions): Promise<LiveActivity> {
  const url = o.conn.chain.rpcUrls.default.http[0];
  if (!url) throw new Error('the chain connection has no RPC URL');
  const rpc = createRpc(url);
  const seed = String(o.seed);
  const rng = createRng(`${seed}/live`);
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  const headTs = await followWallClock(rpc, now());
  // Per-run ids (payload hashes, certificates, cases) differ at every start; the ids of the live
  // datasets and grants come from the seed alone, so a restart finds the grants it issued before.
  const ids = createRng(`${seed}/live@${headTs}`);
  const stable = createRng(`${seed}/live-ids`);
  const pop = buildPopulation({
    seed,
    scale: SCALES.small,
    rng: rng.fork('population'),
    ids: stable.fork('datasets'),
  });
  // Continue the world already on the chain: its members stay registered as they were, a dataset
  // it already has (same owner and title) is used under its own id, not registered again, and a
  // grant it already has is not issued again.
  const known = await readRegistered(rpc, o.deployment);
  for (const d of pop.datasets) {
    const id = known.datasets.get(`${d.owner.address.toLowerCase()}|${d.title}`);
    if (id) d.id = id;
  }
  const factory = new GrantFactory(pop, rng.fork('grants'), stable.fork('grants'));
  const grants: Grant[] = Array.from({ length: 200 }, () =>
    factory.make({ createK: 0, validUntil: headTs + 2 * 365 * 86400, reserved: false, where: 'same' }),
  );
  const certs: `0x${string}`[] = [];
  const volume = new Map<string, number>();
  let day = -1;
  let nonce = Number(
    BigInt(await rpc.call<string>('eth_getTransactionCount', [o.conn.account.address, 'pending'])),
  );
  let sent = 0;

  async function send(plan: PlanBuffer): Promise<string[]> {
    const b = plan.takeUpTo(0)[0];
    if (!b) return [];
    const calls = [];
    for (const kind of CALL_ORDER) {
      const c = b.calls[kind] as { lawful: unknown[] } | undefined;
      if (!c || c.lawful.length === 0) continue;
      const info = CALL_INFO[kind];
      calls.push({
        method: 'eth_sendTransaction',
        params: [
          {
            from: o.conn.account.address,
            to: o.deployment.contracts[info.contract].address,
            data: encodeBatch(kind, c.lawful as Items[CallKind][]),
            gas: hex(80_000 + c.lawful.length * info.gasPerItem),
            nonce: hex(nonce++),
          },
        ],
      });
      sent += c.lawful.length;
    }
    return rpc.batch<string>(calls);
  }

  // Setup: members, datasets and grants, in one block's worth of txs (registrations first).
  const setup = new PlanBuffer();
  for (const d of pop.departments) {
    if (known.orgs.has(d.address.toLowerCase())) continue;
    setup.add(0, 'registerOrgs', {
      account: d.address,
      orgCode: d.orgCode,
      regionCode: d.regionCode,
      kind: d.kind,
      name: d.name,
    });
  }
  const datasets = new Set(grants.map((g) => g.dataset));
  for (const d of datasets) {
    if (known.datasets.has(`${d.owner.address.toLowerCase()}|${d.title}`)) continue;
    setup.add(0, 'registerDatasets', {
      datasetId: d.id,
      owner: d.owner.address,
      category: d.category,
      sensitivity: d.sensitivity,
      title: d.title,
    });
  }
  for (const g of grants) {
    // Issued by an earlier start of the demo on this chain: granted once, used again.
    if (known.grants.has(g.id.toLowerCase())) continue;
    setup.add(0, 'grant', {
      grantId: g.id,
      datasetId: g.dataset.id,
      grantee: g.grantee.address,
      grantor: g.grantor.address,
      purpose: g.purpose,
      modes: g.modes,
      validUntil: g.validUntil,
    });
  }
  // Started once the setup is on the chain, so a start right after a stop finds what it issued.
  const setupTxs = await send(setup);
  const last = setupTxs[setupTxs.length - 1];
  for (let i = 0; last && i < 600; i++) {
    if (await rpc.call<unknown>('eth_getTransactionReceipt', [last])) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  function tick(): PlanBuffer {
    const plan = new PlanBuffer();
    const today = shanghaiDayIndex(now());
    if (today !== day) {
      day = today;
      volume.clear();
    }
    // A fractional pace sends on a share of the ticks, so the live days can keep to the pace of
    // the simulated history instead of one event a second at the least.
    const whole = Math.floor(o.eventsPerSecond);
    const n = whole + (rng.chance(o.eventsPerSecond - whole) ? 1 : 0);
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      if (r < 0.6) {
        const g = rng.pick(grants);
        const used = volume.get(g.id) ?? 0;
        const recordCount = Math.min(LIVE_PAIR_DAY_CAP - used, positiveWithMean(rng, 4));
        if (recordCount < 1) continue;
        volume.set(g.id, used + recordCount);
        plan.add(0, 'access', {
          grantId: g.id,
          datasetId: g.dataset.id,
          accessor: g.grantee.address,
          mode: rng.pick(modesOf(g.modes)),
          purpose: g.purpose,
          recordCount,
          payloadHash: ids.hex32(),
        });
      } else if (r < 0.75 || certs.length === 0) {
        const issuer = rng.pick(pop.departments);
        const certHash = ids.hex32();
        plan.add(0, 'issueCert', {
          certHash,
          issuer: issuer.address,
          certType: rng.int(1, 6),
          regionCode: issuer.regionCode,
        });
        certs.push(certHash);
      } else if (r < 0.85) {
        // Verified in a later tick than its issue, and live certificates are never revoked.
        plan.add(0, 'verifyCert', { certHash: rng.pick(certs), actor: rng.pick(pop.departments).address });
      } else {
        const org = rng.pick(pop.departments);
        plan.add(0, 'completeCase', {
          caseId: ids.hex32(),
          org: org.address,
          regionCode: org.regionCode,
          itemCode: org.kind * 1000 + 1,
          // About the online share the simulated history ends at (≈ 40 %), so the current month
          // does not leap to 75 % online merely because live activity started.
          channel: rng.chance(0.4) ? (rng.chance(0.55) ? 3 : 2) : 1,
          orgsInvolved: 1,
          durationMinutes: rng.int(5, 600),
        });
      }
    }
    return plan;
  }

  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    // One tick at a time: a slow node delays the next tick instead of piling up requests.
    running = running
      .then(() => (stopped ? undefined : send(tick())))
      .then(() => undefined)
      .catch(() => undefined);
  }, 1000);
  return {
    sent: () => sent,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Moves a local node's clock to `now` when its head is behind (anvil's evm_setNextBlockTimestamp:
 * the next block carries `now`, the ones after follow the wall clock). A head ahead of `now` cannot
 * be moved back: that is reported by /chain (block times ahead of the server's clock). A node
 * without the method (a real consortium chain keeps real time) is left alone. Returns the time
 * live activity starts from.
 */
export async function followWallClock(rpc: ReturnType<typeof createRpc>, now: number): Promise<number> {
  const head = await rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
  const headTs = Number(BigInt(head.timestamp));
  if (headTs >= now) return headTs;
  await rpc.call('evm_setNextBlockTimestamp', [hex(now)]).catch(() => undefined);
  return now;
}
