import type { Org } from '../population';
import { isActive, type World } from '../world';
import { Schedule, snapToWindow } from './schedule';

/**
 * Membership over time: most orgs register in the setup block, a few enterprises and hospitals
 * join later, and a few leave (OrgDeactivated) — each only after its last act, which the other
 * generators guarantee by checking isActive().
 */
export function createMembership(w: World) {
  const joins = new Schedule<Org>();
  const retires = new Schedule<Org>();
  const { rng, tl } = w;
  const last = tl.blockCount - 1;
  for (const o of w.pop.issuers) {
    const r = rng.next();
    if (r < 0.05) {
      o.joinK = snapToWindow(rng.int(1, Math.floor(last * 0.5)), tl.window);
      joins.add(o.joinK, o);
    } else if (r < 0.08) {
      const k = snapToWindow(rng.int(Math.floor(last * 0.6), last), tl.window);
      if (k <= last) {
        o.retireK = k;
        retires.add(k, o);
      }
    }
  }

  return {
    /** Registrations of everyone present at the start, in the setup block. */
    setup(): void {
      for (const o of w.pop.orgs) if (o.joinK === 0) register(w, 0, o);
    },
    step(k: number): void {
      for (const o of joins.take(k)) register(w, k, o);
      for (const o of retires.take(k)) w.plan.add(k, 'deactivateOrgs', o.address);
    },
  };
}

export function register(w: World, k: number, o: Org, tracked = false) {
  return w.plan.add(
    k,
    'registerOrgs',
    { account: o.address, orgCode: o.orgCode, regionCode: o.regionCode, kind: o.kind, name: o.name },
    tracked,
  );
}

/** A random org from `list` that may act in block k, or undefined after a few tries. */
export function pickActive(w: World, list: readonly Org[], k: number): Org | undefined {
  for (let i = 0; i < 8; i++) {
    const o = w.rng.pick(list);
    if (!o.reserved && isActive(o, k)) return o;
  }
  return undefined;
}
