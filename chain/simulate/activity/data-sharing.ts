import { modesOf } from '../../../domain/codes';
import { positiveWithMean } from '../prng';
import type { Grant } from '../population';
import { LAWFUL_PAIR_DAY_CAP, grantUsable, type World } from '../world';
import { Schedule, snapToWindow } from './schedule';

const DAY = 86400;

/** Records per access by mode: a verification touches one record, a submission many. */
const MEAN_RECORDS: Record<number, number> = { 1: 25, 2: 1, 4: 5, 8: 10 };

export function addGrantEvent(w: World, k: number, g: Grant, tracked = false): void {
  g.ref = w.plan.add(
    k,
    'grant',
    {
      grantId: g.id,
      datasetId: g.dataset.id,
      grantee: g.grantee.address,
      grantor: g.grantor.address,
      purpose: g.purpose,
      modes: g.modes,
      validUntil: g.validUntil,
    },
    tracked,
  );
}

/**
 * Catalogue, grants and accesses. Grants: most at setup, some later; some expire or are revoked
 * inside the span. Accesses only under usable grants, by the grantee, with a granted mode and the
 * grant's purpose, and each (accessor, dataset) pair stays under LAWFUL_PAIR_DAY_CAP a day.
 */
export function createDataSharing(w: World, p: { grantCount: number }) {
  const { rng, tl } = w;
  const last = tl.blockCount - 1;
  const endTs = tl.ts(last);
  const creates = new Schedule<Grant>();
  const revokes = new Schedule<Grant>();
  for (let i = 0; i < p.grantCount; i++) {
    const createK = rng.chance(0.8) ? 0 : snapToWindow(rng.int(1, Math.floor(last * 0.7)), tl.window);
    if (createK > last) continue;
    // ~10 % expire inside the span (the lawful generator stops before validUntil).
    const validUntil = rng.chance(0.1)
      ? rng.int(tl.ts(createK) + 2 * DAY, endTs)
      : tl.start + rng.int(180, 720) * DAY;
    const g = w.grantFactory.make({ createK, validUntil, reserved: false, where: 'any' });
    if (createK > 0) creates.add(createK, g);
    else w.lawfulGrants.push(g);
    if (rng.chance(0.05)) {
      const rk = snapToWindow(rng.int(createK + 1, last), tl.window);
      if (rk <= last) revokes.add(rk, g);
    }
  }

  function revoke(k: number, g: Grant): void {
    // Never in a block where the grant was used: the revocation call precedes accesses in a block.
    if (g.lastUseK >= k || g.revokedK !== undefined) {
      const next = k + tl.window;
      if (next <= last && g.revokedK === undefined) revokes.add(next, g);
      return;
    }
    g.revokedK = k;
    w.plan.add(k, 'revoke', { grantId: g.id, revokedBy: g.grantor.address });
  }

  function pickGrant(k: number): Grant | undefined {
    const list = w.lawfulGrants;
    for (let attempt = 0; attempt < 6 && list.length > 0; attempt++) {
      // Skewed towards the head of the list: a few busy flows, a long tail of quiet ones.
      const i = attempt === 0 ? Math.floor(list.length * rng.next() ** 1.6) : rng.int(0, list.length - 1);
      const g = list[i];
      if (!g) continue;
      if (grantUsable(w, g, k)) return g;
      if (g.revokedK !== undefined || tl.ts(k) >= g.validUntil) {
        list[i] = list[list.length - 1] as Grant; // gone for good: swap-remove
        list.pop();
      }
    }
    return undefined;
  }

  function access(k: number): boolean {
    const g = pickGrant(k);
    if (!g) return false;
    const ts = tl.ts(k);
    const room = LAWFUL_PAIR_DAY_CAP - w.volume.total(g.grantee.address, g.dataset.id, ts);
    if (room < 1) return false;
    const mode = rng.pick(modesOf(g.modes));
    const recordCount = Math.min(room, 999, positiveWithMean(rng, MEAN_RECORDS[mode] ?? 5));
    w.volume.add(g.grantee.address, g.dataset.id, ts, recordCount);
    g.lastUseK = k;
    w.plan.add(k, 'access', {
      grantId: g.id,
      datasetId: g.dataset.id,
      accessor: g.grantee.address,
      mode,
      purpose: g.purpose,
      recordCount,
      payloadHash: w.ids.hex32(),
    });
    return true;
  }

  return {
    setup(): void {
      for (const d of w.pop.datasets) {
        w.plan.add(0, 'registerDatasets', {
          datasetId: d.id,
          owner: d.owner.address,
          category: d.category,
          sensitivity: d.sensitivity,
          title: d.title,
        });
      }
      for (const g of w.lawfulGrants) addGrantEvent(w, 0, g);
    },
    step(k: number, accesses: number): number {
      for (const g of creates.take(k)) {
        addGrantEvent(w, k, g);
        w.lawfulGrants.push(g);
      }
      for (const g of revokes.take(k)) revoke(k, g);
      let done = 0;
      for (let i = 0; i < accesses && w.plan.size(k) < w.blockCapacity; i++) if (access(k)) done++;
      return done;
    },
  };
}
