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
}

const id = (s: string): Hash => keccak256(toHex(s));
const addr = (s: string): Address => `0x${keccak256(toHex(s)).slice(26)}`;

async function send(url: string, from: Address, to: Address, data: Hex): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_sendTransaction',
      params: [{ from, to, data, gas: numberToHex(900_000_000) }],
    }),
  });
  const body = (await res.json()) as { error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
}

export async function openBenchChain(p: { events: number; port: number; dir: string }): Promise<BenchChain> {
  mkdirSync(p.dir, { recursive: true });
  const deploymentFile = join(p.dir, `deployment-${p.events}.json`);
  const anvil = await startAnvil({ port: p.port });

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
  let written = orgs.length + datasets.length + grants.length;
  const PER_TX = 2000;
  let n = 0;
  while (written < p.events) {
    const k = n++;
    if (k % 10 === 8) {
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
    } else if (k % 10 === 9) {
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
    } else {
      const items = Array.from({ length: PER_TX }, (_, j) => {
        const g = grants[(k * 31 + j) % 2000]!;
        return {
          grantId: g.grantId,
          datasetId: g.datasetId,
          accessor: g.grantee,
          mode: [1, 2, 4, 8][j % 4]!,
          purpose: g.purpose,
          recordCount: 1 + (j % 50),
          payloadHash: id(`p-${k}-${j}`),
        };
      });
      await send(
        anvil.url,
        from,
        c.DataSharing.address,
        encodeFunctionData({ abi: dataSharingAbi, functionName: 'recordAccessBatch', args: [items] }),
      );
      written += items.length;
    }
  }
  writeDeployment(deploymentFile, deployment);
  return { anvil, deployment, deploymentFile, events: written };
}
