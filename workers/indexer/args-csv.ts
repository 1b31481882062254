import type { ChainEvent } from '../events/types';
import { csvQuoted } from './copy';

/** Decoded args as JSON text: uint256 fields (bigint) as decimal strings. */
export function argsJson(ev: ChainEvent): string {
  if (ev.eventName === 'InvoiceIssued' || ev.eventName === 'InvoiceReimbursed') {
    return JSON.stringify({ ...ev.args, amountFen: ev.args.amountFen.toString() });
  }
  return JSON.stringify(ev.args);
}

/**
 * The raw row's `args` cell: the args' JSON, quoted for CSV. DataAccessed, almost every event
 * of a busy chain, is written from a template with its quotes already doubled: its fields are
 * hex the decoder checked and integers, so nothing needs escaping, and stringifying then
 * doubling every quote cost three to four times as much (the largest share of building a raw
 * row). The text is byte for byte what `JSON.stringify` gives (test/unit/args-csv.test.ts).
 */
export function argsCsvCell(ev: ChainEvent): string {
  if (ev.eventName === 'DataAccessed') {
    const a = ev.args;
    return (
      `"{""grantId"":""${a.grantId}"",""datasetId"":""${a.datasetId}"",""accessor"":""${a.accessor}""` +
      `,""mode"":${a.mode},""purpose"":${a.purpose},""recordCount"":${a.recordCount},""payloadHash"":""${a.payloadHash}""}"`
    );
  }
  return csvQuoted(argsJson(ev));
}
