import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '~/chain/simulate/prng';
import { decodeLog, isMalformed } from '~/workers/events/decode';
import { argsJson } from '~/workers/indexer/args-json';
import { ctx, randomLog } from '../helpers/random-logs';

/*
 * The raw row's args: DataAccessed is built from a template, every other event by
 * JSON.stringify. Both must give the same text, so a raw row reads the same whichever path wrote it.
 */
const seed = process.env.DECODE_SEED ?? randomUUID();
console.log(`args JSON seed: ${seed} (replay: DECODE_SEED=${seed})`);

const reference = (args: object): string =>
  JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe(`args JSON of a raw event row (seed ${seed})`, () => {
  it('is JSON.stringify of the decoded args (uint256 as decimal text) for every event, DataAccessed included', () => {
    const rng = createRng(`${seed}/args`);
    let accesses = 0;
    for (let i = 0; i < 3000; i++) {
      const ev = decodeLog(randomLog(rng, i).log, ctx);
      if (isMalformed(ev)) throw new Error(`kept as malformed: ${ev.reason}`);
      if (ev.eventName === 'DataAccessed') accesses += 1;
      expect(argsJson(ev)).toBe(reference(ev.args));
    }
    expect(accesses).toBeGreaterThan(50);
  });

  it('writes DataAccessed args as the exact JSON a reader parses back', () => {
    const args = {
      grantId: `0x${'ab'.repeat(32)}`,
      datasetId: `0x${'cd'.repeat(32)}`,
      accessor: `0x${'12'.repeat(20)}`,
      mode: 2,
      purpose: 65535,
      recordCount: 4294967295,
      payloadHash: `0x${'ef'.repeat(32)}`,
    } as const;
    const text = argsJson({ eventName: 'DataAccessed', args } as Parameters<typeof argsJson>[0]);
    expect(JSON.parse(text)).toEqual(args);
  });
});
