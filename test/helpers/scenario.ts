import { keccak256, toHex, type Address, type Hash } from 'viem';
import { deployContracts } from '../../chain/deploy';
import type { Deployment } from '../../chain/deployment';
import { writeDeployment } from '../../chain/deployment';
import {
  certificateRegistryAbi,
  dataSharingAbi,
  invoiceLedgerAbi,
  orgRegistryAbi,
  serviceLedgerAbi,
} from '../../chain/compiled';
import { connectChain, type ChainConnection } from '../../chain/wallet';
import type { BatchItem, DecodedEventArgs } from '~/chain/events';

/** A deterministic 20-byte address / 32-byte id from a label, for readable scenarios. */
export const addr = (label: string): Address => `0x${keccak256(toHex(`addr:${label}`)).slice(26)}`;
export const id = (label: string): Hash => keccak256(toHex(`id:${label}`));

/**
 * Explicit chain scenarios for indexer tests: every call is one transaction (one block on an
 * automining anvil), so tests know exactly which block each event lands in.
 */
export async function createScenario(rpcUrl: string, deploymentFile: string) {
  const conn: ChainConnection = await connectChain(rpcUrl);
  const deployment: Deployment = await deployContracts(conn);
  writeDeployment(deploymentFile, deployment);
  const c = deployment.contracts;
  const send = async (
    address: Address,
    abi: readonly unknown[],
    functionName: string,
    args: readonly unknown[],
  ) => {
    const hash = await conn.walletClient.writeContract({
      address,
      abi: abi as never,
      functionName: functionName,
      args: args,
      account: conn.account,
      chain: conn.chain,
    });
    const r = await conn.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    return { hash, blockNumber: Number(r.blockNumber), logs: r.logs.length };
  };
  return {
    conn,
    deployment,
    registerOrg: (account: Address, regionCode: number, kind: number, name: string) =>
      send(c.OrgRegistry.address, orgRegistryAbi, 'register', [
        account,
        id(`org:${account}`),
        regionCode,
        kind,
        name,
      ]),
    deactivateOrg: (account: Address) => send(c.OrgRegistry.address, orgRegistryAbi, 'deactivate', [account]),
    registerDataset: (
      datasetId: Hash,
      owner: Address,
      category: number,
      sensitivity: number,
      title: string,
    ) =>
      send(c.DataSharing.address, dataSharingAbi, 'registerDataset', [
        datasetId,
        owner,
        category,
        sensitivity,
        title,
      ]),
    grant: (g: DecodedEventArgs<'AccessGranted'>) =>
      send(c.DataSharing.address, dataSharingAbi, 'grantAccess', [
        g.grantId,
        g.datasetId,
        g.grantee,
        g.grantor,
        g.purpose,
        g.modes,
        g.validUntil,
      ]),
    revoke: (grantId: Hash, by: Address) =>
      send(c.DataSharing.address, dataSharingAbi, 'revokeAccess', [grantId, by]),
    access: (a: DecodedEventArgs<'DataAccessed'>) =>
      send(c.DataSharing.address, dataSharingAbi, 'recordAccess', [
        a.grantId,
        a.datasetId,
        a.accessor,
        a.mode,
        a.purpose,
        a.recordCount,
        a.payloadHash,
      ]),
    accessBatch: (items: BatchItem<typeof dataSharingAbi, 'recordAccessBatch'>[]) =>
      send(c.DataSharing.address, dataSharingAbi, 'recordAccessBatch', [items]),
    issueInvoice: (h: Hash, issuer: Address, region: number, amountFen: bigint) =>
      send(c.InvoiceLedger.address, invoiceLedgerAbi, 'issue', [h, issuer, region, amountFen]),
    reimburse: (h: Hash, claimant: Address, amountFen: bigint) =>
      send(c.InvoiceLedger.address, invoiceLedgerAbi, 'reimburse', [h, claimant, amountFen]),
    voidInvoice: (h: Hash, issuer: Address) =>
      send(c.InvoiceLedger.address, invoiceLedgerAbi, 'voidInvoice', [h, issuer]),
    issueCert: (h: Hash, issuer: Address, certType: number, region: number) =>
      send(c.CertificateRegistry.address, certificateRegistryAbi, 'issue', [h, issuer, certType, region]),
    revokeCert: (h: Hash, issuer: Address) =>
      send(c.CertificateRegistry.address, certificateRegistryAbi, 'revoke', [h, issuer]),
    verifyCert: (h: Hash, verifier: Address) =>
      send(c.CertificateRegistry.address, certificateRegistryAbi, 'verify', [h, verifier]),
    listItem: (region: number, item: number, level: number) =>
      send(c.ServiceLedger.address, serviceLedgerAbi, 'listItem', [region, item, level]),
    completeCase: (k: DecodedEventArgs<'CaseCompleted'>) =>
      send(c.ServiceLedger.address, serviceLedgerAbi, 'completeCase', [
        k.caseId,
        k.org,
        k.regionCode,
        k.itemCode,
        k.channel,
        k.orgsInvolved,
        k.durationMinutes,
      ]),
  };
}
export type Scenario = Awaited<ReturnType<typeof createScenario>>;

/** A small lawful consortium plus one of several anomalies; returns what was written. */
export async function basicScenario(s: Scenario) {
  const police = addr('gz-police');
  const tax = addr('sz-tax');
  const hospital = addr('gz-hospital');
  const hz = addr('hz-data');
  await s.registerOrg(police, 440100, 1, '广州市公安局');
  await s.registerOrg(tax, 440300, 5, '深圳市税务局');
  await s.registerOrg(hospital, 440100, 21, '广州市第一人民医院');
  await s.registerOrg(hz, 330100, 10, '杭州市数据资源管理局');
  const ds = id('ds-population');
  await s.registerDataset(ds, police, 1, 3, '常住人口基本信息');
  const g = id('grant-1');
  await s.grant({
    grantId: g,
    datasetId: ds,
    grantee: tax,
    grantor: police,
    purpose: 4,
    modes: 2 | 4,
    validUntil: 4102444800n,
  });
  const accesses: DecodedEventArgs<'DataAccessed'>[] = [
    {
      grantId: g,
      datasetId: ds,
      accessor: tax,
      mode: 2,
      purpose: 4,
      recordCount: 120,
      payloadHash: id('p1'),
    },
    { grantId: g, datasetId: ds, accessor: tax, mode: 4, purpose: 4, recordCount: 30, payloadHash: id('p2') },
    // anomaly: cross-province access to a sensitive dataset without grant
    {
      grantId: id('nope'),
      datasetId: ds,
      accessor: hz,
      mode: 4,
      purpose: 4,
      recordCount: 5,
      payloadHash: id('p3'),
    },
  ];
  for (const a of accesses) await s.access(a); // one transaction (and block) each
  const inv = id('inv-1');
  await s.issueInvoice(inv, hospital, 440100, 12_345n);
  await s.reimburse(inv, tax, 10_000n);
  await s.reimburse(inv, tax, 2_000n); // duplicate reimbursement (一票多报), total ≤ amount
  const cert = id('cert-1');
  await s.issueCert(cert, police, 2, 440100);
  await s.verifyCert(cert, tax);
  await s.listItem(440100, 1001, 2);
  await s.completeCase({
    caseId: id('case-1'),
    org: police,
    regionCode: 440100,
    itemCode: 1001,
    channel: 3,
    orgsInvolved: 2,
    durationMinutes: 45,
  });
  return { police, tax, hospital, hz, ds, g, inv, cert, accesses };
}
