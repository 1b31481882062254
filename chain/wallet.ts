import { redactUrl } from '../domain/redact';
import { createPublicClient, createWalletClient, http, type Chain, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/**
 * anvil's first well-known development key. Used only when no DEPLOYER_PRIVATE_KEY is given,
 * which is right for the local demo chain and wrong anywhere else.
 */
export const ANVIL_DEV_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export async function connectChain(rpcUrl: string, privateKey: Hex = ANVIL_DEV_KEY) {
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (e) {
    const reason = (e as { details?: string; shortMessage?: string }).details ?? (e as Error).message;
    throw new Error(`cannot reach the chain at ${redactUrl(rpcUrl)}: ${reason.split('\n')[0]}`);
  }
  const chain: Chain = {
    id: chainId,
    name: `consortium-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  };
  const account = privateKeyToAccount(privateKey);
  const transport = http(rpcUrl, { timeout: 60_000 });
  return {
    chainId,
    chain,
    account,
    publicClient: createPublicClient({ chain, transport }),
    walletClient: createWalletClient({ chain, transport, account }),
  };
}
export type ChainConnection = Awaited<ReturnType<typeof connectChain>>;
