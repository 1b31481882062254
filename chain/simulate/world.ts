import type { Hex } from 'viem';
import type { Rng } from './prng';
import type { PlanBuffer } from './plan';
import type { Grant, GrantFactory, Org, Population } from './population';
import { shanghaiDayIndex } from './rhythm';
import type { ScaleParams } from './scale';
import type { Timeline } from './timeline';

/**
 * Records per (accessor, dataset) on the current Shanghai day. Lawful activity keeps every pair
 * below LAWFUL_PAIR_DAY_CAP, which is below VOLUME_SPIKE's floor of 1000, so lawful data never
 * spikes; injected non-volume anomalies add a few records and must keep the total ≤ 999 too.
 */
export const LAWFUL_PAIR_DAY_CAP = 900;
export const PAIR_DAY_HARD_CAP = 999;

export class VolumeLedger {
  private day = -1;
  private readonly totals = new Map<string, number>();

  private roll(ts: number): void {
    const d = shanghaiDayIndex(ts);
    if (d !== this.day) {
      if (d < this.day) throw new Error('volume ledger went back in time');
      this.day = d;
      this.totals.clear();
    }
  }

  total(accessor: string, datasetId: Hex, ts: number): number {
    this.roll(ts);
    return this.totals.get(`${accessor}${datasetId}`) ?? 0;
  }

  add(accessor: string, datasetId: Hex, ts: number, n: number): void {
    this.roll(ts);
    const key = `${accessor}${datasetId}`;
    this.totals.set(key, (this.totals.get(key) ?? 0) + n);
  }
}

/** An issued certificate as the lawful generators see it. */
export interface Cert {
  hash: Hex;
  issuer: Org;
  issuedK: number;
  revokedK?: number;
  lastVerifyK: number;
}

export interface World {
  seed: string;
  scale: ScaleParams;
  tl: Timeline;
  plan: PlanBuffer;
  pop: Population;
  grantFactory: GrantFactory;
  /** Random choices of the activity. */
  rng: Rng;
  /** Random ids (grant, invoice, certificate, case, payload hashes), salted with the span start. */
  ids: Rng;
  volume: VolumeLedger;
  lawfulGrants: Grant[];
  /** Recently issued certificates that lawful verifications draw from. */
  certs: Cert[];
  /** Most events one block may carry (block gas limit / worst gas per event, with margin). */
  blockCapacity: number;
}

/** True when the org may act in block k: registered in an earlier block, not yet deactivated. */
export function isActive(org: Org, k: number): boolean {
  return org.joinK < k && (org.retireK === undefined || k < org.retireK);
}

/** A grant lawful to use in block k (before expiry and revocation, grantee active). */
export function grantUsable(w: World, g: Grant, k: number): boolean {
  return (
    g.createK < k &&
    g.revokedK === undefined &&
    w.tl.ts(k) < g.validUntil &&
    isActive(g.grantee, k) &&
    !g.reserved
  );
}
