import { decodeEventLog, type Hex } from 'viem';
import { ARTIFACTS } from '~/chain/deploy';
import { createRng } from '~/chain/simulate/prng';
import { EVENT_CONTRACT } from '~/domain/events';
import { decodeLog } from '~/workers/events/decode';
import { ctx, randomLog, type Built } from '~/test/helpers/random-logs';

/**
 * The indexer's decoder specialised per event signature against viem's generic decodeEventLog, on
 * the same random logs of all fourteen events (fixed seed): logs per second each, and the ratio.
 */
export function runDecodeBench({ quick }: { quick: boolean }): Record<string, number> {
  const n = quick ? 20_000 : 100_000;
  const rng = createRng('bench-decode');
  const logs: Built[] = Array.from({ length: n }, (_, i) => randomLog(rng, i));
  const abis = new Map(logs.map((b) => [b.name, ARTIFACTS[EVENT_CONTRACT[b.name]].abi]));
  const time = (f: (b: Built) => unknown): number => {
    for (const b of logs.slice(0, 2000)) f(b); // warm-up: let the JIT settle
    const t = performance.now();
    for (const b of logs) f(b);
    return performance.now() - t;
  };
  const ours = time((b) => decodeLog(b.log, ctx));
  const viem = time((b) =>
    decodeEventLog({ abi: abis.get(b.name)!, topics: b.log.topics as [Hex], data: b.log.data, strict: true }),
  );
  return {
    decode_logs: n,
    decode_specialised_logs_per_s: Math.round((n / ours) * 1000),
    decode_viem_logs_per_s: Math.round((n / viem) * 1000),
    decode_speedup: Math.round((viem / ours) * 10) / 10,
  };
}
