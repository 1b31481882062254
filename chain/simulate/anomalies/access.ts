import type { Address, Hex } from 'viem';
import { modesOf } from '../../../domain/codes';
import { addGrantEvent } from '../activity/data-sharing';
import type { EventRef } from '../plan';
import type { Dataset, Grant, Org } from '../population';
import { isOffHours } from '../rhythm';
import { PAIR_DAY_HARD_CAP, type World } from '../world';
import type { BlockPicker } from './blocks';
import type { Injection, PendingCase } from './types';

const DAY = 86400;

export interface AccessFields {
  grantId: Hex;
  dataset: Dataset;
  accessor: Address;
  mode: number;
  purpose: number;
  recordCount: number;
}

/** Adds an injected access (tracked) and books its records against the pair's day total. */
export function injectAccess(w: World, k: number, f: AccessFields, spike = false): EventRef {
  const ts = w.tl.ts(k);
  const total = w.volume.total(f.accessor, f.dataset.id, ts) + f.recordCount;
  if (!spike && total > PAIR_DAY_HARD_CAP && f.recordCount < 1000) {
    // Would make an unintended VOLUME_SPIKE: shrink to fit (the anomaly stays what it was).
    f.recordCount = Math.max(1, f.recordCount - (total - PAIR_DAY_HARD_CAP));
  }
  w.volume.add(f.accessor, f.dataset.id, ts, f.recordCount);
  return w.plan.add(
    k,
    'access',
    {
      grantId: f.grantId,
      datasetId: f.dataset.id,
      accessor: f.accessor,
      mode: f.mode,
      purpose: f.purpose,
      recordCount: f.recordCount,
      payloadHash: w.ids.hex32(),
    },
    true,
  );
}

/** A grant for the injector only, announced in the setup block. Valid for two years by default. */
export function reservedGrant(
  w: World,
  where: 'same' | 'cross-sensitive' = 'same',
  validUntil?: number,
): Grant {
  const g = w.grantFactory.make({
    createK: 0,
    validUntil: validUntil ?? w.tl.start + 730 * DAY,
    reserved: true,
    where,
  });
  addGrantEvent(w, 0, g, true);
  return g;
}

function lawfulAccess(g: Grant, recordCount: number, rngMode: (ms: number[]) => number): AccessFields {
  return {
    grantId: g.id,
    dataset: g.dataset,
    accessor: g.grantee.address,
    mode: rngMode(modesOf(g.modes)),
    purpose: g.purpose,
    recordCount,
  };
}

/** A department of the dataset owner's province other than `not`, so no cross-province rule fires. */
function sameProvinceDept(w: World, owner: Org, not: Org): Org {
  const list = w.pop.departments.filter((d) => d.province === owner.province && d !== not && d !== owner);
  return w.rng.pick(list);
}

/**
 * The grant rules, each case built to trigger exactly one rule: registered same-province accessors,
 * working hours, a few records, and every grant term right except the one under test.
 */
export function injectAccessRules(w: World, picker: BlockPicker, n: number): Injection {
  const { rng, tl } = w;
  const inj: Injection = { steps: [], cases: [] };
  const pickMode = (ms: number[]) => rng.pick(ms);
  const small = () => rng.int(1, 40);

  for (let i = 0; i < n; i++) {
    // ACCESS_WITHOUT_GRANT: unknown grant id / accessor ≠ grantee / dataset ≠ grant's dataset.
    {
      const g = reservedGrant(w);
      const k = picker.working();
      const variant = i % 3;
      const c: PendingCase = {
        rule: 'ACCESS_WITHOUT_GRANT',
        key: { kind: 'event' },
        fire: { k, first: true },
        evidence: [],
      };
      inj.cases.push(c);
      inj.steps.push({
        k,
        run: () => {
          const f = lawfulAccess(g, small(), pickMode);
          if (variant === 0) f.grantId = w.ids.hex32();
          if (variant === 1) f.accessor = sameProvinceDept(w, g.dataset.owner, g.grantee).address;
          if (variant === 2) {
            const others = w.pop.datasets.filter(
              (d) => d !== g.dataset && (d.sensitivity < 3 || d.owner.province === g.grantee.province),
            );
            f.dataset = rng.pick(others);
          }
          const ref = injectAccess(w, k, f);
          c.fire = ref;
          c.evidence = variant === 0 || !g.ref ? [ref] : [ref, g.ref];
        },
      });
    }
    // ACCESS_AFTER_REVOKE: revoked earlier, or in the same block just before the access.
    {
      const g = reservedGrant(w);
      const kr = picker.working(0, 0.8);
      const ka = i % 2 === 0 ? kr : (picker.workingAfter(kr, 3) ?? kr);
      const c: PendingCase = {
        rule: 'ACCESS_AFTER_REVOKE',
        key: { kind: 'event' },
        fire: { k: ka, first: true },
        evidence: [],
      };
      inj.cases.push(c);
      let revRef: EventRef | undefined;
      inj.steps.push({
        k: kr,
        run: () => (revRef = w.plan.add(kr, 'revoke', { grantId: g.id, revokedBy: g.grantor.address }, true)),
      });
      inj.steps.push({
        k: ka,
        run: () => {
          const ref = injectAccess(w, ka, lawfulAccess(g, small(), pickMode));
          c.fire = ref;
          c.evidence = revRef ? [revRef, ref] : [ref];
        },
      });
    }
    // ACCESS_AFTER_EXPIRY: block timestamp 1 s (or days) past validUntil. Case 0 also carries the
    // lawful edge: another grant whose validUntil equals the block timestamp exactly.
    {
      const k = picker.working(0.1, 1);
      const ts = tl.ts(k);
      const g = reservedGrant(w, 'same', i === 0 ? ts - 1 : ts - rng.int(1, 3 * DAY));
      const edge = i === 0 ? reservedGrant(w, 'same', ts) : undefined;
      const c: PendingCase = {
        rule: 'ACCESS_AFTER_EXPIRY',
        key: { kind: 'event' },
        fire: { k, first: true },
        evidence: [],
      };
      inj.cases.push(c);
      inj.steps.push({
        k,
        run: () => {
          if (edge) injectAccess(w, k, lawfulAccess(edge, small(), pickMode));
          const ref = injectAccess(w, k, lawfulAccess(g, small(), pickMode));
          c.fire = ref;
          c.evidence = g.ref ? [g.ref, ref] : [ref];
        },
      });
    }
    // MODE_NOT_GRANTED: a mode bit outside the grant's modes (mode 0 in every third case).
    {
      let g = reservedGrant(w);
      while (g.modes === 15) g = reservedGrant(w);
      const k = picker.working();
      const c: PendingCase = {
        rule: 'MODE_NOT_GRANTED',
        key: { kind: 'event' },
        fire: { k, first: true },
        evidence: [],
      };
      inj.cases.push(c);
      inj.steps.push({
        k,
        run: () => {
          const f = lawfulAccess(g, small(), pickMode);
          f.mode = i % 3 === 2 ? 0 : rng.pick([1, 2, 4, 8].filter((m) => (g.modes & m) === 0));
          const ref = injectAccess(w, k, f);
          c.fire = ref;
          c.evidence = g.ref ? [g.ref, ref] : [ref];
        },
      });
    }
    // PURPOSE_MISMATCH: another purpose than the grant's.
    {
      const g = reservedGrant(w);
      const k = picker.working();
      const c: PendingCase = {
        rule: 'PURPOSE_MISMATCH',
        key: { kind: 'event' },
        fire: { k, first: true },
        evidence: [],
      };
      inj.cases.push(c);
      inj.steps.push({
        k,
        run: () => {
          const f = lawfulAccess(g, small(), pickMode);
          f.purpose = rng.pick([1, 2, 3, 4, 5, 6, 7, 8].filter((p) => p !== g.purpose));
          const ref = injectAccess(w, k, f);
          c.fire = ref;
          c.evidence = g.ref ? [g.ref, ref] : [ref];
        },
      });
    }
    // OFF_HOURS_BULK: exactly 1000 records (the pair's only access that day, so its total is 1000
    // and VOLUME_SPIKE, which needs > 1000, stays quiet). Case 0 is at 22:00 sharp, next to a lawful
    // 999-record access in the same block.
    {
      const g = reservedGrant(w);
      const k = i === 0 ? picker.atShanghaiTime(22, 0) : picker.offHours();
      const edge = i === 0 ? reservedGrant(w) : undefined;
      const c: PendingCase = {
        rule: 'OFF_HOURS_BULK',
        key: { kind: 'event' },
        fire: { k, first: true },
        evidence: [],
      };
      inj.cases.push(c);
      inj.steps.push({
        k,
        run: () => {
          if (!isOffHours(tl.ts(k))) throw new Error('OFF_HOURS_BULK block is not off hours');
          if (edge) injectAccess(w, k, lawfulAccess(edge, 999, pickMode));
          const ref = injectAccess(w, k, lawfulAccess(g, 1000, pickMode));
          c.fire = ref;
          c.evidence = [ref];
        },
      });
    }
    // CROSS_PROVINCE_SENSITIVE: a valid grant on a sensitive dataset to another province's department.
    {
      const g = reservedGrant(w, 'cross-sensitive');
      const k = picker.working();
      const c: PendingCase = {
        rule: 'CROSS_PROVINCE_SENSITIVE',
        key: { kind: 'event' },
        fire: { k, first: true },
        evidence: [],
      };
      inj.cases.push(c);
      inj.steps.push({
        k,
        run: () => {
          const ref = injectAccess(w, k, lawfulAccess(g, small(), pickMode));
          c.fire = ref;
          c.evidence = [ref];
        },
      });
    }
  }
  return inj;
}
