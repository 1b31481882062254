import { decodeEventLog, toEventSelector, type Hex } from 'viem';
import { ARTIFACTS } from '../deploy';
import type { Deployment } from '../deployment';
import { EVENT_SIGNATURES, type EventName } from '../../domain/events';
import type { RpcClient } from './rpc';

/** What a chain already has registered: members, datasets by owner and title, and grant ids. */
export interface Registered {
  orgs: Set<string>;
  /** Dataset id by `${owner}|${title}` (owner lower-case): the first registration wins. */
  datasets: Map<string, Hex>;
  /** Every grant id already issued (AccessGranted), lower-case. */
  grants: Set<string>;
}

interface RawLog {
  topics: [Hex, ...Hex[]];
  data: Hex;
}

/**
 * Reads the OrgRegistered and DatasetRegistered logs of a deployment, so live activity continues
 * the simulated world instead of registering every department again (which moved each member's
 * registration to the moment the demo started) and a second dataset of the same title per owner.
 */
export async function readRegistered(rpc: RpcClient, deployment: Deployment): Promise<Registered> {
  const logs = (contract: 'OrgRegistry' | 'DataSharing', event: EventName) =>
    rpc.call<RawLog[]>('eth_getLogs', [
      {
        address: deployment.contracts[contract].address,
        fromBlock: `0x${deployment.contracts[contract].startBlock.toString(16)}`,
        toBlock: 'latest',
        topics: [toEventSelector(EVENT_SIGNATURES[event])],
      },
    ]);
  const [orgLogs, datasetLogs, grantLogs] = await Promise.all([
    logs('OrgRegistry', 'OrgRegistered'),
    logs('DataSharing', 'DatasetRegistered'),
    logs('DataSharing', 'AccessGranted'),
  ]);
  const orgs = new Set<string>();
  for (const l of orgLogs) {
    const d = decodeEventLog({ abi: ARTIFACTS.OrgRegistry.abi, topics: l.topics, data: l.data });
    const a = d.args as unknown as { account: string };
    orgs.add(a.account.toLowerCase());
  }
  const datasets = new Map<string, Hex>();
  for (const l of datasetLogs) {
    const d = decodeEventLog({ abi: ARTIFACTS.DataSharing.abi, topics: l.topics, data: l.data });
    const a = d.args as unknown as { datasetId: Hex; owner: string; title: string };
    const key = `${a.owner.toLowerCase()}|${a.title}`;
    if (!datasets.has(key)) datasets.set(key, a.datasetId);
  }
  // The grant id is the first indexed topic: no need to decode the whole event.
  const grants = new Set(grantLogs.map((l) => (l.topics[1] ?? '').toLowerCase()).filter((t) => t !== ''));
  return { orgs, datasets, grants };
}
