import { modesOf } from '../../../domain/codes';
import { volumeSpikeKey } from '../../../domain/finding-keys';
import { shanghaiDay } from '../../../domain/time';
import type { EventRef } from '../plan';
import { shanghaiDayIndex } from '../rhythm';
import type { World } from '../world';
import { injectAccess, reservedGrant } from './access';
import type { BlockPicker } from './blocks';
import type { Injection, PendingCase } from './types';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  if (s.length === 0) return 0;
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** Splits `total` into `parts` near-equal positive integers. */
function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}

/**
 * VOLUME_SPIKE: a reserved (accessor, dataset) pair gets an odd number (0, 1, 3) of quiet history
 * days within the previous 14, then a day whose total passes max(1000, 10 × median). Every access
 * is < 1000 records and in working hours, and the day's last access is the one that crosses the
 * threshold, so "first crossing" and "end of day" name the same event.
 */
export function injectVolumeSpikes(w: World, picker: BlockPicker, n: number): Injection {
  const { rng, tl } = w;
  const inj: Injection = { steps: [], cases: [] };
  const firstDay = shanghaiDayIndex(tl.ts(2 * tl.window)) + 1;
  for (let i = 0; i < n; i++) {
    const g = reservedGrant(w);
    // The spike day: late enough to have room for history when the span allows it.
    let day = shanghaiDayIndex(tl.ts(picker.working(0.3, 1)));
    let spikeKs: number[] = [];
    for (let attempt = 0; attempt < 50 && spikeKs.length === 0; attempt++) {
      const k = picker.workingOnDay(day);
      if (k !== undefined) spikeKs = [k];
      else day = shanghaiDayIndex(tl.ts(picker.working(0.3, 1)));
    }
    if (spikeKs.length === 0) throw new Error('no working day in the span for a VOLUME_SPIKE');

    const candidates = Array.from({ length: 13 }, (_, j) => day - 1 - j).filter((d) => d >= firstDay);
    const pool = [...candidates];
    let wanted = Math.min(rng.pick([0, 1, 3, 3]), pool.length);
    if (wanted % 2 === 0 && wanted > 0) wanted -= 1; // odd count: the median is one day's total
    const historyDays: number[] = [];
    for (let j = 0; j < wanted; j++) historyDays.push(...pool.splice(rng.int(0, pool.length - 1), 1));
    const history: { k: number; records: number }[] = [];
    const totals: number[] = [];
    for (const d of historyDays) {
      const k = picker.workingOnDay(d);
      if (k === undefined) continue;
      // Half the cases have big quiet days, so that 10 × median (not 1000) is the threshold.
      const records = i % 2 === 1 ? rng.int(150, 300) : rng.int(10, 80);
      history.push({ k, records });
      totals.push(records);
    }
    if (totals.length % 2 === 0 && totals.length > 0) {
      history.pop();
      totals.pop();
    }
    const threshold = Math.max(1000, 10 * median(totals));
    const before = threshold - rng.int(50, 300);
    const parts = split(before, Math.ceil(before / 900));
    for (let j = 1; j < parts.length + 1; j++) {
      const k = picker.workingOnDay(day);
      if (k !== undefined) spikeKs.push(k);
      else spikeKs.push(spikeKs[0] ?? 0);
    }
    spikeKs.sort((a, b) => a - b);
    const amounts = [...parts, threshold - before + rng.int(1, 400)];

    const spikeRefs: EventRef[] = [];
    const c: PendingCase = {
      rule: 'VOLUME_SPIKE',
      key: {
        kind: 'fixed',
        value: volumeSpikeKey(g.grantee.address, g.dataset.id, shanghaiDay(tl.ts(spikeKs[0] ?? 0))),
      },
      fire: { k: spikeKs[spikeKs.length - 1] ?? 0, first: true },
      evidence: spikeRefs,
    };
    inj.cases.push(c);
    const mode = () => rng.pick(modesOf(g.modes));
    const access = (k: number, recordCount: number) =>
      injectAccess(
        w,
        k,
        {
          grantId: g.id,
          dataset: g.dataset,
          accessor: g.grantee.address,
          mode: mode(),
          purpose: g.purpose,
          recordCount,
        },
        true,
      );
    for (const h of history) inj.steps.push({ k: h.k, run: () => void access(h.k, h.records) });
    spikeKs.forEach((k, j) => {
      const amount = amounts[j] ?? 1;
      inj.steps.push({
        k,
        run: () => {
          const ref = access(k, amount);
          spikeRefs.push(ref);
          if (j === spikeKs.length - 1) c.fire = ref;
        },
      });
    });
  }
  return inj;
}
