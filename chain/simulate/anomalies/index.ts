import type { EventRef } from '../plan';
import type { World } from '../world';
import { injectAccessRules } from './access';
import { BlockPicker } from './blocks';
import { injectLedgerRules } from './ledger';
import { injectStall } from './stall';
import type { Injection } from './types';
import { injectVolumeSpikes } from './volume';

export type { Injection, PendingCase, Step } from './types';

/** Plans every injected case (n per rule, one stall) before the lawful activity starts. */
export function planAnomalies(
  w: World,
  n: number,
  oneCase: (k: number, tracked: boolean, org?: `0x${string}`) => EventRef | undefined,
): Injection {
  const picker = new BlockPicker(w.tl, w.rng.fork('anomaly-blocks'));
  const parts = [
    injectAccessRules(w, picker, n),
    injectVolumeSpikes(w, picker, n),
    injectLedgerRules(w, picker, n, oneCase),
    injectStall(w, oneCase),
  ];
  // Stable sort: steps of one block keep their order (a revocation before the access it precedes).
  const steps = parts.flatMap((p) => p.steps).sort((a, b) => a.k - b.k);
  return { steps, cases: parts.flatMap((p) => p.cases) };
}
