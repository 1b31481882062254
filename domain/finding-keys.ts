/**
 * How a finding is named, shared by the rules (workers/rules) and the simulator's ground truth
 * (chain/simulate), so that "the same finding" means the same thing to both.
 *
 * - Rules that fire on one event: `${blockNumber}-${logIndex}` of that event.
 * - DUPLICATE_REIMBURSEMENT and REIMBURSEMENT_EXCEEDS_AMOUNT: the invoice hash (once per invoice).
 * - VOLUME_SPIKE: `${accessor}-${datasetId}-${day}` with the Asia/Shanghai day (YYYY-MM-DD).
 * - CHAIN_STALLED: `${blockNumber}` of the first block after the stall.
 */
import type { RuleId } from './rules';

export const PER_INVOICE_RULES: readonly RuleId[] = [
  'DUPLICATE_REIMBURSEMENT',
  'REIMBURSEMENT_EXCEEDS_AMOUNT',
];

export function eventKey(blockNumber: number, logIndex: number): string {
  return `${blockNumber}-${logIndex}`;
}

export function volumeSpikeKey(accessor: string, datasetId: string, day: string): string {
  return `${accessor.toLowerCase()}-${datasetId.toLowerCase()}-${day}`;
}

export function chainStalledKey(firstBlockAfterStall: number): string {
  return String(firstBlockAfterStall);
}
