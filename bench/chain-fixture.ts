import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFunctionData, keccak256, numberToHex, toHex, type Address, type Hash, type Hex } from 'viem';
import { startAnvil, type AnvilProcess } from '../chain/anvil';
import { dataSharingAbi, invoiceLedgerAbi, orgRegistryAbi, serviceLedgerAbi } from '../chain/compiled';
import { deployContracts } from '../chain/deploy';
import { writeDeployment, type Deployment } from '../chain/deployment';
import { connectChain } from '../chain/wallet';

/**
 * A fresh benchmark chain of a given size (≈ 30 s per million events here; anvil's state dump of
 * a million events would be gigabytes, so it is written anew each run). The mix is what a busy consortium chain looks like: mostly
 * DataAccessed, with invoices and completed cases, and the orgs, datasets and grants they use.
 */
export interface BenchChain {
  anvil: AnvilProcess;
  deployment: Deployment;
  deploymentFile: string;
  events: number;
  /** of which DataAccessed */
  accesses: number;
}

const id = (s: string): Hash => keccak256(toHex(s));
const addr = (s: string): Address => `0x${keccak256(toHex(s)).slice(26)}`;

async function send(url: string, from: Address, to: Address, data: Hex, nonce?: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_sendTransaction',
      params: [
        {
          from,
          to,
          data,
          // With a nonce given (transactions queued, then mined in bulk), the gas limit is the
          // whole block's: a miner adds a transaction only while its limit fits the block's
          // remaining gas, so each block holds exactly one.
          gas: numberToHex(nonce === undefined ? 900_000_000 : 1_000_000_000),
          ...(nonce === undefined ? {} : { nonce: numberToHex(nonce) }),
        },
      ],
    }),
  });
  const body = (await res.json()) as { error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
}

/**
 * `mixed` (default): batches of 2,000 events per transaction, one transaction per block, mostly
 * DataAccessed with invoices and cases. `accesses`: only lawful DataAccessed, `perTx` per
 * transaction (one transaction per block): 500 is the dense chain Ponder is compared on, 10 the
 * sparse one. `unlawful`: as `accesses`, but every DataAccessed is made up the way Ponder's own
 * emitter makes them (1,000 grants never issued, 50 datasets never registered, 64 accessors never
 * registered, 1–100,000 records): each one is an ACCESS_WITHOUT_GRANT and an UNREGISTERED_ACTOR,
 * most of them OFF_HOURS_BULK or part of a VOLUME_SPIKE too.
 */
export interface BenchChainOptions {
  events: number;
  port: number;
  dir: string;
  shape?: 'mixed' | 'accesses' | 'unlawful';
  perTx?: number;
}

/** One JSON-RPC call to the node at `url`; its error message is thrown as an Error. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/**
 * Under heavy load anvil's automine can leave accepted transactions pending (seen on the shared
 * 2-core machines): mine them one block each, as automine would have, until the pool is empty.
 */
async function drainPool(url: string): Promise<void> {
  for (;;) {
    const status = (await rpc(url, 'txpool_status')) as { pending: Hex; queued: Hex };
    if (Number(status.pending) === 0 && Number(status.queued) === 0) return;
    await rpc(url, 'evm_mine');
  }
}

export async function openBenchChain(p: BenchChainOptions): Promise<BenchChain> {
  mkdirSync(p.dir, { recursive: true });
  const shape = p.shape ?? 'mixed';
  const deploymentFile = join(p.dir, `deployment-${shape}-${p.perTx ?? 2000}-${p.events}-${p.port}.json`);
  // The accesses-only chains are lawful: blocks spread over 30 past days, so no (accessor,
  // dataset) pair reads more than a volume spike's floor of records on any day.
  const span = 30 * 86_400;
  const anvil = await startAnvil({
    port: p.port,
    genesisTimestamp: shape !== 'mixed' ? Math.floor(Date.now() / 1000) - span - 86_400 : undefined,
  });

  try {
    return await fill(p, shape, span, anvil, deploymentFile);
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

async function fill(
  p: BenchChainOptions,
  shape: NonNullable<BenchChainOptions['shape']>,
  span: number,
  anvil: AnvilProcess,
  deploymentFile: string,
): Promise<BenchChain> {
  const conn = await connectChain(anvil.url);
  const deployment = await deployContracts(conn);
  const from = conn.account.address;
  const c = deployment.contracts;
  const orgs = Array.from({ length: 200 }, (_, i) => ({
    account: addr(`org-${i}`),
    orgCode: id(`code-${i}`),
    regionCode: [440100, 440300, 110108, 330100, 310115, 510100, 420100, 320100][i % 8]!,
    kind: (i % 10) + 1,
    name: `机构${i}`,
  }));
  await send(
    anvil.url,
    from,
    c.OrgRegistry.address,
    encodeFunctionData({ abi: orgRegistryAbi, functionName: 'registerBatch', args: [orgs] }),
  );
  const datasets = Array.from({ length: 400 }, (_, i) => ({
    datasetId: id(`ds-${i}`),
    owner: orgs[i % 200]!.account,
    category: (i % 10) + 1,
    // Public and internal only: cross-province access to sensitive data would raise incidents,
    // and the backfill figure is about lawful traffic.
    sensitivity: (i % 2) + 1,
    title: `数据集${i}`,
  }));
  await send(
    anvil.url,
    from,
    c.DataSharing.address,
    encodeFunctionData({ abi: dataSharingAbi, functionName: 'registerDatasetBatch', args: [datasets] }),
  );
  const grants = Array.from({ length: 2000 }, (_, i) => ({
    grantId: id(`g-${i}`),
    datasetId: datasets[i % 400]!.datasetId,
    grantee: orgs[(i * 7 + 3) % 200]!.account,
    grantor: datasets[i % 400]!.owner,
    purpose: (i % 8) + 1,
    modes: 15,
    validUntil: 4102444800n,
  }));
  for (let i = 0; i < grants.length; i += 500) {
    await send(
      anvil.url,
      from,
      c.DataSharing.address,
      encodeFunctionData({
        abi: dataSharingAbi,
        functionName: 'grantAccessBatch',
        args: [grants.slice(i, i + 500)],
      }),
    );
  }
  // Transaction k's DataAccessed batch: `n` accesses across the grants, record counts 1…`records`.
  const accessItems = (k: number, n: number, records: number) =>
    Array.from({ length: n }, (_, j) => {
      const g = grants[(k * 31 + j) % 2000]!;
      return {
        grantId: g.grantId,
        datasetId: g.datasetId,
        accessor: g.grantee,
        mode: [1, 2, 4, 8][j % 4]!,
        purpose: g.purpose,
        recordCount: 1 + (j % records),
        payloadHash: id(`p-${k}-${j}`),
      };
    });
  /** Access `m` of an `unlawful` chain, as Ponder's emitter derives its fields from its index. */
  const unlawfulItem = (k: number, m: number) => {
    const h = Math.imul(m + 1, 2_654_435_761) >>> 0;
    return {
      grantId: id(`no-grant-${m % 1000}`),
      datasetId: id(`no-dataset-${m % 50}`),
      accessor: addr(`outsider-${h % 64}`),
      mode: [1, 2, 4, 8][m % 4]!,
      purpose: m % 500,
      recordCount: 1 + (h % 100_000),
      payloadHash: id(`p-${k}-${m}`),
    };
  };
  let written = orgs.length + datasets.length + grants.length;
  const setup = written;
  let otherEvents = 0;
  const PER_TX = p.perTx ?? 2000;
  if (shape !== 'mixed') {
    const blocks = Math.ceil((p.events - written) / PER_TX);
    // Transactions go to the pool first, then anvil_mine makes all the blocks in one call: each
    // transaction's gas limit is the whole block's, so every block takes exactly one. (Automine
    // per transaction took minutes for the sparse chain on a loaded machine.)
    await rpc(anvil.url, 'evm_setAutomine', [false]);
    const inFlight = new Set<Promise<void>>();
    // Nonces are given explicitly: anvil would hand concurrent requests the same one.
    let nonce = Number(await rpc(anvil.url, 'eth_getTransactionCount', [from, 'pending']));
    for (let k = 0; written < p.events; k++) {
      const n = Math.min(PER_TX, p.events - written);
      const items =
        shape === 'unlawful'
          ? Array.from({ length: n }, (_, j) => unlawfulItem(k, written - setup + j))
          : accessItems(k, n, 10);
      written += items.length;
      const data = encodeFunctionData({
        abi: dataSharingAbi,
        functionName: 'recordAccessBatch',
        args: [items],
      });
      const sent: Promise<void> = send(anvil.url, from, c.DataSharing.address, data, nonce++).finally(() =>
        inFlight.delete(sent),
      );
      inFlight.add(sent);
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const interval = Math.max(1, Math.floor(span / blocks));
    for (let left = blocks; left > 0; left -= 1000) {
      await rpc(anvil.url, 'anvil_mine', [numberToHex(Math.min(1000, left)), numberToHex(interval)]);
    }
    await rpc(anvil.url, 'evm_setAutomine', [true]);
  }
  let n = 0;
  while (written < p.events) {
    const k = n++;
    if (shape === 'mixed' && k % 10 === 8) {
      const items = Array.from({ length: PER_TX / 2 }, (_, j) => ({
        invoiceHash: id(`inv-${k}-${j}`),
        issuer: orgs[(k + j) % 200]!.account,
        regionCode: 440100,
        amountFen: BigInt(1000 + j),
      }));
      await send(
        anvil.url,
        from,
        c.InvoiceLedger.address,
        encodeFunctionData({ abi: invoiceLedgerAbi, functionName: 'issueBatch', args: [items] }),
      );
      written += items.length;
      otherEvents += items.length;
    } else if (shape === 'mixed' && k % 10 === 9) {
      const items = Array.from({ length: PER_TX / 2 }, (_, j) => ({
        caseId: id(`case-${k}-${j}`),
        org: orgs[(k + j) % 200]!.account,
        regionCode: orgs[(k + j) % 200]!.regionCode,
        itemCode: 1000 + (j % 50),
        channel: (j % 3) + 1,
        orgsInvolved: (j % 4) + 1,
        durationMinutes: 30 + (j % 90),
      }));
      await send(
        anvil.url,
        from,
        c.ServiceLedger.address,
        encodeFunctionData({ abi: serviceLedgerAbi, functionName: 'completeCaseBatch', args: [items] }),
      );
      written += items.length;
      otherEvents += items.length;
    } else {
      const items = accessItems(k, Math.min(PER_TX, p.events - written), 50);
      await send(
        anvil.url,
        from,
        c.DataSharing.address,
        encodeFunctionData({ abi: dataSharingAbi, functionName: 'recordAccessBatch', args: [items] }),
      );
      written += items.length;
    }
  }
  await drainPool(anvil.url);
  writeDeployment(deploymentFile, deployment);
  return { anvil, deployment, deploymentFile, events: written, accesses: written - setup - otherEvents };
}
