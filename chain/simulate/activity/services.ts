import type { Address } from 'viem';
import { SERVICE_ITEMS, type ServiceItem } from '../catalog';
import type { EventRef } from '../plan';
import type { World } from '../world';
import { Schedule, snapToWindow } from './schedule';

const MONTH = 30 * 86400;

interface RegionPace {
  /** Online share of cases at the start of the span. */
  base: number;
  /** Added online share per month: regions digitise at different speeds. */
  perMonth: number;
}

/**
 * Service catalogue per city and completed cases. Items are listed with an online level and some
 * are re-listed at a higher level over time; the online share of cases (web 2 / mobile 3 vs window
 * 1) grows month by month at a pace of the region's own. Joint items (联办) involve 2–4 orgs.
 */
export function createServices(w: World) {
  const { rng, tl } = w;
  const last = tl.blockCount - 1;
  const pace = new Map<number, RegionPace>();
  const level = new Map<string, number>();
  const upgrades = new Schedule<{ city: number; item: ServiceItem; level: number }>();
  const weighted: ServiceItem[] = SERVICE_ITEMS.flatMap((i) => Array<ServiceItem>(i.popularity).fill(i));

  for (const city of w.pop.cities) {
    pace.set(city.code, { base: 0.15 + rng.next() * 0.35, perMonth: 0.01 + rng.next() * 0.08 });
    for (const item of SERVICE_ITEMS) {
      const l = rng.pick([0, 1, 1, 2, 2]);
      level.set(`${city.code}-${item.itemCode}`, l);
      // Faster regions bring more items fully online inside the span.
      let at = 0;
      for (let next = l + 1; next <= 2; next++) {
        if (!rng.chance(0.25 + (pace.get(city.code)?.perMonth ?? 0) * 4)) break;
        at = rng.int(Math.max(at, 1), last);
        const k = snapToWindow(at, tl.window);
        if (k <= last) upgrades.add(k, { city: city.code, item, level: next });
      }
    }
  }

  function onlineShare(city: number, k: number): number {
    const p = pace.get(city) ?? { base: 0.3, perMonth: 0.03 };
    return Math.min(0.95, p.base + (p.perMonth * (tl.ts(k) - tl.start)) / MONTH);
  }

  /** One lawful case in block k; `actor` replaces the competent department (UNREGISTERED_ACTOR). */
  function oneCase(k: number, tracked = false, actor?: Address): EventRef | undefined {
    const city = rng.pick(w.pop.cities).code;
    const item = rng.pick(weighted);
    const org = w.pop.deptByCityKind.get(`${city}-${item.kind}`);
    if (!org) return undefined;
    const l = level.get(`${city}-${item.itemCode}`) ?? 0;
    const pOnline = l === 0 ? 0 : onlineShare(city, k) * (l === 2 ? 1 : 0.55);
    const online = rng.chance(pOnline);
    const channel = online ? (rng.chance(0.45 + 0.3 * (k / (last + 1))) ? 3 : 2) : 1;
    return w.plan.add(
      k,
      'completeCase',
      {
        caseId: w.ids.hex32(),
        org: actor ?? org.address,
        regionCode: city,
        itemCode: item.itemCode,
        channel,
        orgsInvolved: item.joint ? rng.int(2, 4) : 1,
        durationMinutes: online ? rng.int(5, 2_880) : rng.int(15, 240),
      },
      tracked,
    );
  }

  return {
    oneCase,
    setup(): void {
      for (const city of w.pop.cities) {
        for (const item of SERVICE_ITEMS) {
          const onlineLevel = level.get(`${city.code}-${item.itemCode}`) ?? 0;
          w.plan.add(0, 'listItem', { regionCode: city.code, itemCode: item.itemCode, onlineLevel });
        }
      }
    },
    step(k: number, cases: number): void {
      for (const u of upgrades.take(k)) {
        const key = `${u.city}-${u.item.itemCode}`;
        if ((level.get(key) ?? 0) >= u.level) continue;
        level.set(key, u.level);
        w.plan.add(k, 'listItem', { regionCode: u.city, itemCode: u.item.itemCode, onlineLevel: u.level });
      }
      for (let i = 0; i < cases && w.plan.size(k) < w.blockCapacity; i++) oneCase(k);
    },
  };
}
