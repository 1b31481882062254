import type { Address, Hash } from 'viem';
import type { ContractName, EventName } from '../../domain/events';
import type { ChainEvent } from '../events/types';

export interface StoredEventRow {
  chain_id: number;
  block_number: string | number;
  log_index: number;
  tx_hash: string;
  tx_index: number;
  block_time: Date;
  contract: string;
  address: string;
  event_name: string;
  args: Record<string, string | number>;
}

/** A raw event row back into the decoded form the handlers take (uint256 strings → bigint). */
export function eventFromRow(r: StoredEventRow): ChainEvent {
  const args: Record<string, unknown> = { ...r.args };
  if (r.event_name === 'InvoiceIssued' || r.event_name === 'InvoiceReimbursed') {
    args.amountFen = BigInt(String(args.amountFen));
  }
  return {
    chainId: r.chain_id,
    blockNumber: Number(r.block_number),
    logIndex: r.log_index,
    txHash: r.tx_hash as Hash,
    txIndex: r.tx_index,
    blockTime: Math.floor(r.block_time.getTime() / 1000),
    contract: r.contract as ContractName,
    address: r.address as Address,
    eventName: r.event_name as EventName,
    args,
  } as ChainEvent;
}
