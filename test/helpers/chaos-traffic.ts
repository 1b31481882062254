import type { Address, Hash } from 'viem';
import { addr, id, type Scenario } from './scenario';

export interface LawfulTraffic {
  /** Runs `fn` while no transaction is in flight (a reorg must not drop a tx we await). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
  /** Transactions sent (each one block on an automining anvil). */
  sent(): number;
  errors(): number;
}

/**
 * A step's longest wait. Once, on a loaded machine, a transaction anvil had accepted was never
 * mined and its receipt wait (viem: 180 s) held the traffic lock, which faults and checks wait for;
 * a step that takes this long is given up and counted as an error instead.
 */
const STEP_TIMEOUT_MS = 20_000;

function bounded<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`traffic step took over ${STEP_TIMEOUT_MS} ms`)),
      STEP_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Guangdong only, internal datasets, far-off expiry: no rule of DESIGN §5 can fire. */
const OWNERS = [
  { label: 'gz-police', region: 440100, kind: 1, name: '广州市公安局' },
  { label: 'gz-civil', region: 440100, kind: 2, name: '广州市民政局' },
];
const ACCESSORS = [
  { label: 'gz-tax', region: 440100, kind: 5, name: '广州市税务局' },
  { label: 'sz-tax', region: 440300, kind: 5, name: '深圳市税务局' },
  { label: 'sz-hrss', region: 440300, kind: 3, name: '深圳市人社局' },
  { label: 'gz-market', region: 440100, kind: 6, name: '广州市市场监管局' },
  { label: 'gz-hospital', region: 440100, kind: 21, name: '广州市第一人民医院' },
  { label: 'sz-data', region: 440300, kind: 10, name: '深圳市政务服务数据管理局' },
];

/**
 * Sets up a small lawful consortium (orgs, 4 internal datasets, 24 grants, 20 invoices and
 * certificates), then sends one transaction every `everyMs`: mostly batches of `perBatch`
 * accesses of one record each, spread over 24 (accessor, dataset) pairs so no pair nears
 * VOLUME_SPIKE's 1,000-record daily floor; now and then a certificate, a case, a verification or
 * a first reimbursement of a setup invoice. A reorg may drop any of these: what is left is lawful.
 */
export async function startLawfulTraffic(
  s: Scenario,
  o: {
    everyMs: number;
    perBatch: number;
    maxTxs: number;
    /** Datasets per accessor (default 4): more pairs keep a long run under VOLUME_SPIKE's floor. */
    datasets?: number;
    /** Called with each access batch's block once its receipt is back (the block is mined). */
    onBlock?: (blockNumber: number, at: number) => void;
  },
): Promise<LawfulTraffic> {
  for (const org of [...OWNERS, ...ACCESSORS])
    await s.registerOrg(addr(org.label), org.region, org.kind, org.name);
  const datasets = Array.from({ length: o.datasets ?? 4 }, (_, i) => i).map((i) => ({
    id: id(`chaos-ds-${i}`),
    owner: addr(OWNERS[i % 2]!.label),
  }));
  for (const [i, d] of datasets.entries()) await s.registerDataset(d.id, d.owner, 1 + i, 2, `数据集${i}`);
  const grants: { grantId: Hash; datasetId: Hash; accessor: Address; purpose: number }[] = [];
  for (const [a, acc] of ACCESSORS.entries()) {
    for (const [d, ds] of datasets.entries()) {
      const g = {
        grantId: id(`chaos-g-${a}-${d}`),
        datasetId: ds.id,
        accessor: addr(acc.label),
        purpose: 1 + d,
      };
      await s.grant({ ...g, grantee: g.accessor, grantor: ds.owner, modes: 15, validUntil: 4102444800n });
      grants.push(g);
    }
  }
  const hospital = addr('gz-hospital');
  const police = addr('gz-police');
  const invoices = Array.from({ length: 20 }, (_, i) => id(`chaos-inv-${i}`));
  const certs = Array.from({ length: 20 }, (_, i) => id(`chaos-cert-${i}`));
  for (const inv of invoices) await s.issueInvoice(inv, hospital, 440100, 50_000n);
  for (const c of certs) await s.issueCert(c, police, 2, 440100);

  let stopped = false;
  let sent = 0;
  let errors = 0;
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };
  const step = async (k: number) => {
    const g0 = (k * 7) % grants.length;
    const { blockNumber } = await s.accessBatch(
      Array.from({ length: o.perBatch }, (_, j) => {
        const g = grants[(g0 + j) % grants.length]!;
        return { ...g, mode: 1 << (j % 4), recordCount: 1, payloadHash: id(`chaos-p-${k}-${j}`) };
      }),
    );
    o.onBlock?.(blockNumber, performance.now());
    sent += 1;
    const extra = k % 8;
    if (extra === 1) await s.issueCert(id(`chaos-live-cert-${k}`), police, 3, 440100);
    else if (extra === 3) await s.verifyCert(certs[k % certs.length]!, addr('sz-hrss'));
    else if (extra === 5)
      await s.completeCase({
        caseId: id(`chaos-case-${k}`),
        org: addr('gz-civil'),
        regionCode: 440100,
        itemCode: 2001,
        channel: 2,
        orgsInvolved: 1,
        durationMinutes: 30,
      });
    else if (extra === 7 && k / 8 < invoices.length)
      // Each setup invoice reimbursed at most once, for less than its amount.
      await s.reimburse(invoices[Math.floor(k / 8)]!, addr('sz-tax'), 10_000n);
    else return;
    sent += 1;
  };
  const loop = (async () => {
    for (let k = 0; k < o.maxTxs && !stopped; k++) {
      const t = Date.now();
      await exclusive(() => bounded(step(k))).catch(() => {
        errors += 1;
      });
      await new Promise((r) => setTimeout(r, Math.max(0, o.everyMs - (Date.now() - t))));
    }
  })();
  return {
    exclusive,
    sent: () => sent,
    errors: () => errors,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
