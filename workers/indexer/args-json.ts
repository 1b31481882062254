import type { ChainEvent } from '../events/types';

/**
 * Decoded args as the raw row's JSON text: uint256 fields (bigint) as decimal strings.
 * DataAccessed, almost every event of a busy chain, is written from a template: its fields are hex
 * the decoder checked and integers, so nothing needs escaping, and JSON.stringify of the object
 * cost several times as much. The text is byte for byte what JSON.stringify gives
 * (test/unit/args-json.test.ts).
 */
export function argsJson(ev: ChainEvent): string {
  if (ev.eventName === 'DataAccessed') {
    const a = ev.args;
    return (
      `{"grantId":"${a.grantId}","datasetId":"${a.datasetId}","accessor":"${a.accessor}"` +
      `,"mode":${a.mode},"purpose":${a.purpose},"recordCount":${a.recordCount},"payloadHash":"${a.payloadHash}"}`
    );
  }
  if (ev.eventName === 'InvoiceIssued' || ev.eventName === 'InvoiceReimbursed') {
    return JSON.stringify({ ...ev.args, amountFen: ev.args.amountFen.toString() });
  }
  return JSON.stringify(ev.args);
}
