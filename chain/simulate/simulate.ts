import type { RuleId } from '../../domain/rules';
import type { Deployment } from '../deployment';
import type { ChainConnection } from '../wallet';
import { createCertificates } from './activity/certificates';
import { createDataSharing } from './activity/data-sharing';
import { createInvoices } from './activity/invoices';
import { createMembership } from './activity/orgs';
import { createServices } from './activity/services';
import { planAnomalies } from './anomalies';
import { resolveCases, writeGroundTruth } from './ground-truth';
import { PlanBuffer } from './plan';
import { buildPopulation, GrantFactory } from './population';
import { createRng, type Rng } from './prng';
import { activityWeight } from './rhythm';
import { createRpc } from './rpc';
import { SCALES, blockInterval, casesPerRule, windowBlocks, type ScaleName } from './scale';
import { createTimeline, placeSpan } from './timeline';
import { VolumeLedger, type World } from './world';
import { createBlockWriter } from './writer';

export interface SimulateOptions {
  conn: ChainConnection;
  deployment: Deployment;
  days: number;
  seed: string | number;
  scale: ScaleName;
  groundTruthFile: string;
  /** Wall-clock now in unix seconds (tests pin it); only used to end an old chain's span near now. */
  now?: number;
  onProgress?: (p: { block: number; blocks: number; events: number }) => void;
}

export interface SimulateSummary {
  events: number;
  eventsByName: Record<string, number>;
  blocks: number;
  txs: number;
  fromBlock: number;
  toBlock: number;
  firstTimestamp: number;
  lastTimestamp: number;
  blockInterval: number;
  anomalies: Partial<Record<RuleId, number>>;
  groundTruthFile: string;
  seconds: number;
}

/** Shares of the event budget per activity; invoices also get ~63 % follow-ups (reimburse/void). */
const SHARES = { access: 0.55, invoiceIssue: 0.11, certIssue: 0.045, certVerify: 0.075, cases: 0.14 };

function randomRound(rng: Rng, x: number): number {
  const f = Math.floor(x);
  return f + (rng.next() < x - f ? 1 : 0);
}

/**
 * Writes `days` of consortium activity with injected anomalies to the chain and a ground-truth file
 * of those anomalies. Same seed and same chain head ⇒ the same blocks, logs and timestamps.
 */
export async function simulate(o: SimulateOptions): Promise<SimulateSummary> {
  const t0 = performance.now();
  if (!Number.isInteger(o.days) || o.days < 1) throw new Error('days must be a positive integer');
  const url = o.conn.chain.rpcUrls.default.http[0];
  if (!url) throw new Error('the chain connection has no RPC URL');
  const rpc = createRpc(url);
  const scale = SCALES[o.scale];
  const interval = blockInterval(scale, o.days);
  const head = await rpc.call<{ number: string; timestamp: string; gasLimit: string }>(
    'eth_getBlockByNumber',
    ['latest', false],
  );
  const headNumber = Number(BigInt(head.number));
  const gasLimit = BigInt(head.gasLimit);
  const placement = placeSpan({
    headTimestamp: Number(BigInt(head.timestamp)),
    now: o.now ?? Math.floor(Date.now() / 1000),
    days: o.days,
    interval,
    maxBridgeBlocks: scale.maxBlocks,
  });
  const tl = createTimeline({
    start: placement.start,
    interval,
    days: o.days,
    window: windowBlocks(scale, interval),
  });

  const seed = String(o.seed);
  const rng = createRng(seed);
  // Ids are salted with the span start: a second run on the same chain never reuses an id.
  const ids = createRng(`${seed}@${tl.start}`);
  const pop = buildPopulation({ seed, scale, rng: rng.fork('population'), ids: ids.fork('datasets') });
  const w: World = {
    seed,
    scale,
    tl,
    plan: new PlanBuffer(),
    pop,
    grantFactory: new GrantFactory(pop, rng.fork('grants'), ids.fork('grant-ids')),
    rng: rng.fork('activity'),
    ids: ids.fork('activity'),
    volume: new VolumeLedger(),
    lawfulGrants: [],
    certs: [],
    blockCapacity: Math.floor((Number(gasLimit) * 0.85) / 10_000),
  };

  // Enough grants that each (accessor, dataset) pair stays far below its daily cap on busy days.
  const accessesPerBusyDay = ((scale.targetEvents * SHARES.access) / o.days) * 1.4;
  const grantCount = Math.min(
    Math.max(scale.minGrants, Math.ceil((accessesPerBusyDay * 10) / 300)),
    Math.floor(pop.departments.length * pop.datasets.length * 0.3),
    Math.floor(w.blockCapacity * 0.6),
  );
  const membership = createMembership(w);
  const sharing = createDataSharing(w, { grantCount });
  const invoices = createInvoices(w);
  const certificates = createCertificates(w);
  const services = createServices(w);
  const injection = planAnomalies(w, casesPerRule(scale), services.oneCase);
  if (placement.leadingStall) {
    const fire = { k: 0, first: true as const };
    injection.cases.push({ rule: 'CHAIN_STALLED', key: { kind: 'block' }, fire, evidence: [fire] });
  }
  membership.setup();
  sharing.setup();
  services.setup();

  const writer = createBlockWriter({
    rpc,
    from: o.conn.account.address,
    deployment: o.deployment,
    tl,
    gasLimit,
  });
  await writer.prepare();
  await writer.bridge(placement.bridgeBlocks);
  const fromBlock = headNumber + placement.bridgeBlocks + 1;

  let totalWeight = 0;
  for (let k = tl.window; k < tl.blockCount; k += tl.window) totalWeight += activityWeight(tl.ts(k));
  const perWeight = (scale.targetEvents * 0.97) / totalWeight; // ~3 % go to setup and follow-ups

  let pending: Promise<void> = Promise.resolve();
  const flush = async (upTo: number) => {
    const blocks = w.plan.takeUpTo(upTo);
    await pending;
    pending = (async () => {
      for (const b of blocks) await writer.write(b);
    })();
    // Handled when awaited at the next flush; this only stops an early failure from being "unhandled".
    pending.catch(() => undefined);
  };
  let stepIdx = 0;
  const runSteps = (upTo: number) => {
    for (let s = injection.steps[stepIdx]; s && s.k <= upTo; s = injection.steps[++stepIdx]) s.run();
  };
  await flush(0);
  let reported = 0;
  for (let k = tl.window; k < tl.blockCount; k += tl.window) {
    runSteps(k);
    const n = perWeight * activityWeight(tl.ts(k));
    membership.step(k);
    sharing.step(k, randomRound(w.rng, n * SHARES.access));
    invoices.step(k, randomRound(w.rng, n * SHARES.invoiceIssue));
    certificates.step(k, randomRound(w.rng, n * SHARES.certIssue), randomRound(w.rng, n * SHARES.certVerify));
    services.step(k, randomRound(w.rng, n * SHARES.cases));
    await flush(k);
    if (o.onProgress && k - reported >= tl.blockCount / 20) {
      reported = k;
      o.onProgress({ block: k, blocks: tl.blockCount, events: writer.stats.events });
    }
  }
  runSteps(Number.POSITIVE_INFINITY);
  await flush(Number.POSITIVE_INFINITY);
  await pending;
  await writer.finish();

  const toBlock = fromBlock + tl.blockCount - 1;
  const last = await rpc.call<{ number: string; timestamp: string }>('eth_getBlockByNumber', [
    `0x${toBlock.toString(16)}`,
    false,
  ]);
  if (!last || Number(BigInt(last.timestamp)) !== tl.ts(tl.blockCount - 1)) {
    throw new Error(`block ${toBlock} is not the span's last block: another writer mined blocks meanwhile?`);
  }
  const cases = await resolveCases({ rpc, byBlock: writer.byBlock, cases: injection.cases });
  writeGroundTruth(o.groundTruthFile, {
    chainId: o.conn.chainId,
    seed,
    days: o.days,
    scale: o.scale,
    blockInterval: interval,
    fromBlock,
    toBlock,
    cases,
  });
  const anomalies: Partial<Record<RuleId, number>> = {};
  for (const c of cases) anomalies[c.rule] = (anomalies[c.rule] ?? 0) + 1;
  return {
    events: writer.stats.events,
    eventsByName: writer.stats.eventsByName,
    blocks: tl.blockCount,
    txs: writer.stats.txs,
    fromBlock,
    toBlock,
    firstTimestamp: tl.ts(0),
    lastTimestamp: tl.ts(tl.blockCount - 1),
    blockInterval: interval,
    anomalies,
    groundTruthFile: o.groundTruthFile,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}
