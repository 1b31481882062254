import type { Abi, Hex } from 'viem';
import {
  certificateRegistryAbi,
  certificateRegistryBytecode,
  dataSharingAbi,
  dataSharingBytecode,
  invoiceLedgerAbi,
  invoiceLedgerBytecode,
  orgRegistryAbi,
  orgRegistryBytecode,
  serviceLedgerAbi,
  serviceLedgerBytecode,
} from './compiled';
import type { Deployment } from './deployment';
import type { ChainConnection } from './wallet';
import type { ContractName } from '../domain/events';

export const ARTIFACTS: Record<ContractName, { abi: Abi; bytecode: Hex }> = {
  OrgRegistry: { abi: orgRegistryAbi, bytecode: orgRegistryBytecode },
  DataSharing: { abi: dataSharingAbi, bytecode: dataSharingBytecode },
  InvoiceLedger: { abi: invoiceLedgerAbi, bytecode: invoiceLedgerBytecode },
  CertificateRegistry: { abi: certificateRegistryAbi, bytecode: certificateRegistryBytecode },
  ServiceLedger: { abi: serviceLedgerAbi, bytecode: serviceLedgerBytecode },
};

/** Deploys the five contracts one after another and returns the deployment file's content. */
export async function deployContracts(conn: ChainConnection): Promise<Deployment> {
  const contracts = {} as Deployment['contracts'];
  for (const name of Object.keys(ARTIFACTS) as ContractName[]) {
    const { abi, bytecode } = ARTIFACTS[name];
    const hash = await conn.walletClient.deployContract({
      abi,
      bytecode,
      account: conn.account,
      chain: conn.chain,
    });
    const receipt = await conn.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== 'success' || !receipt.contractAddress) {
      throw new Error(`deploying ${name} failed in tx ${hash}`);
    }
    contracts[name] = {
      address: receipt.contractAddress.toLowerCase() as `0x${string}`,
      startBlock: Number(receipt.blockNumber),
    };
  }
  return { chainId: conn.chainId, contracts };
}
