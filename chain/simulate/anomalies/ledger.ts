import type { Address, Hex } from 'viem';
import { CERT_ISSUER_KIND } from '../catalog';
import type { EventRef } from '../plan';
import type { Org } from '../population';
import { deriveAddress } from '../prng';
import type { World } from '../world';
import type { BlockPicker } from './blocks';
import type { Injection, PendingCase } from './types';

/** Members that stay active over the whole span and are free for injected invoices. */
function steadyIssuers(w: World): Org[] {
  return w.pop.issuers.filter((o) => o.joinK === 0 && o.retireK === undefined && !o.reserved);
}

function financeDept(w: World, near: Org): Org {
  const d = w.pop.deptByCityKind.get(`${near.regionCode}-8`);
  return d ?? w.rng.pick(w.pop.departments);
}

/**
 * Invoice, certificate and membership rules, one rule per case: duplicate reimbursement with two
 * partial amounts (sum ≤ amount), void-then-reimburse once within the amount, reimbursement of an
 * unknown hash, one over-amount reimbursement, verification of a revoked or never-issued
 * certificate, and acts by unregistered or deactivated addresses that touch nothing else.
 */
export function injectLedgerRules(
  w: World,
  picker: BlockPicker,
  n: number,
  oneCase: (k: number, tracked: boolean, org?: Address) => EventRef | undefined,
): Injection {
  const { rng } = w;
  const inj: Injection = { steps: [], cases: [] };
  const issuers = steadyIssuers(w);
  // Members set aside to be deactivated and then act (UNREGISTERED_ACTOR): no lawful act ever.
  const goneOrgs = issuers.splice(0, Math.ceil(n / 3));
  for (const o of goneOrgs) o.reserved = true;
  const add = (c: PendingCase) => (inj.cases.push(c), c);
  const step = (k: number, run: () => void) => inj.steps.push({ k, run });
  const issueInvoice = (k: number, hash: Hex, issuer: Org, amountFen: number) =>
    w.plan.add(
      k,
      'issueInvoice',
      { invoiceHash: hash, issuer: issuer.address, regionCode: issuer.regionCode, amountFen },
      true,
    );
  const reimburse = (k: number, hash: Hex, claimant: Org, amountFen: number) =>
    w.plan.add(k, 'reimburse', { invoiceHash: hash, claimant: claimant.address, amountFen }, true);
  /** Three increasing working-hour blocks, a day or so apart when the span allows. */
  const sequence = (): [number, number, number] => {
    const a = picker.working(0, 0.6);
    const b = picker.workingAfter(a, 3) ?? a;
    const c = picker.workingAfter(b, 3) ?? b;
    return [a, b, c];
  };

  for (let i = 0; i < n; i++) {
    // DUPLICATE_REIMBURSEMENT (一票多报): two partial claims, together within the amount.
    {
      const [k1, k2, k3] = sequence();
      const issuer = rng.pick(issuers);
      const hash = w.ids.hex32();
      const amount = rng.int(1_000, 200_000) * 100;
      const c = add({
        rule: 'DUPLICATE_REIMBURSEMENT',
        key: { kind: 'fixed', value: hash.toLowerCase() },
        fire: { k: k3, first: true },
        evidence: [],
      });
      let first: EventRef | undefined;
      step(k1, () => void issueInvoice(k1, hash, issuer, amount));
      step(k2, () => (first = reimburse(k2, hash, financeDept(w, issuer), Math.floor(amount * 0.4))));
      step(k3, () => {
        c.fire = reimburse(k3, hash, financeDept(w, issuer), Math.floor((amount * rng.int(20, 55)) / 100));
        c.evidence = first ? [first, c.fire] : [c.fire];
      });
    }
    // VOIDED_INVOICE_REIMBURSED: issued, voided by its issuer, then reimbursed once within the amount.
    {
      const [k1, k2, k3] = sequence();
      const issuer = rng.pick(issuers);
      const hash = w.ids.hex32();
      const amount = rng.int(500, 80_000) * 100;
      const c = add({
        rule: 'VOIDED_INVOICE_REIMBURSED',
        key: { kind: 'event' },
        fire: { k: k3, first: true },
        evidence: [],
      });
      let voided: EventRef | undefined;
      step(k1, () => void issueInvoice(k1, hash, issuer, amount));
      step(
        k2,
        () => (voided = w.plan.add(k2, 'voidInvoice', { invoiceHash: hash, issuer: issuer.address }, true)),
      );
      step(k3, () => {
        c.fire = reimburse(k3, hash, financeDept(w, issuer), amount);
        c.evidence = voided ? [voided, c.fire] : [c.fire];
      });
    }
    // UNKNOWN_INVOICE_REIMBURSED: a hash that was never issued.
    {
      const k = picker.working();
      const claimant = rng.pick(w.pop.departments);
      const c = add({
        rule: 'UNKNOWN_INVOICE_REIMBURSED',
        key: { kind: 'event' },
        fire: { k, first: true },
        evidence: [],
      });
      step(k, () => {
        c.fire = reimburse(k, w.ids.hex32(), claimant, rng.int(100, 9_000) * 100);
        c.evidence = [c.fire];
      });
    }
    // REIMBURSEMENT_EXCEEDS_AMOUNT: a single claim above the issued amount.
    {
      const [k1, , k2] = sequence();
      const issuer = rng.pick(issuers);
      const hash = w.ids.hex32();
      const amount = rng.int(200, 50_000) * 100;
      const c = add({
        rule: 'REIMBURSEMENT_EXCEEDS_AMOUNT',
        key: { kind: 'fixed', value: hash.toLowerCase() },
        fire: { k: k2, first: true },
        evidence: [],
      });
      let issued: EventRef | undefined;
      step(k1, () => (issued = issueInvoice(k1, hash, issuer, amount)));
      step(k2, () => {
        c.fire = reimburse(k2, hash, financeDept(w, issuer), amount + rng.int(1, 5_000) * 100);
        c.evidence = issued ? [issued, c.fire] : [c.fire];
      });
    }
    // REVOKED_CERTIFICATE_USED: revoked earlier, revoked in the same block just before, or never issued.
    {
      const [k1, k2, k3a] = sequence();
      const variant = i % 3;
      const k3 = variant === 1 ? k2 : k3a;
      const certType = rng.pick([1, 2, 3, 4, 5, 6]);
      const city = rng.pick(w.pop.cities);
      const issuer =
        w.pop.deptByCityKind.get(`${city.code}-${CERT_ISSUER_KIND[certType] ?? 6}`) ??
        rng.pick(w.pop.departments);
      const verifier = rng.pick(w.pop.departments);
      const hash = w.ids.hex32();
      const c = add({
        rule: 'REVOKED_CERTIFICATE_USED',
        key: { kind: 'event' },
        fire: { k: k3, first: true },
        evidence: [],
      });
      let revoked: EventRef | undefined;
      if (variant !== 2) {
        step(
          k1,
          () =>
            void w.plan.add(
              k1,
              'issueCert',
              { certHash: hash, issuer: issuer.address, certType, regionCode: issuer.regionCode },
              true,
            ),
        );
        step(
          k2,
          () => (revoked = w.plan.add(k2, 'revokeCert', { certHash: hash, actor: issuer.address }, true)),
        );
      }
      step(k3, () => {
        c.fire = w.plan.add(k3, 'verifyCert', { certHash: hash, actor: verifier.address }, true);
        c.evidence = revoked ? [revoked, c.fire] : [c.fire];
      });
    }
    // UNREGISTERED_ACTOR: an unknown verifier of a valid certificate, an unknown org completing a
    // case, or a deactivated member issuing an invoice.
    {
      const variant = i % 3;
      const [k1, k2] = sequence();
      const stranger = deriveAddress(w.seed, `stranger-${i}`);
      const c = add({
        rule: 'UNREGISTERED_ACTOR',
        key: { kind: 'event' },
        fire: { k: k2, first: true },
        evidence: [],
      });
      if (variant === 0) {
        const issuer = rng.pick(w.pop.departments.filter((d) => d.kind === 6));
        const hash = w.ids.hex32();
        step(
          k1,
          () =>
            void w.plan.add(
              k1,
              'issueCert',
              { certHash: hash, issuer: issuer.address, certType: 1, regionCode: issuer.regionCode },
              true,
            ),
        );
        step(k2, () => {
          c.fire = w.plan.add(k2, 'verifyCert', { certHash: hash, actor: stranger }, true);
          c.evidence = [c.fire];
        });
      } else if (variant === 1) {
        step(k2, () => {
          const ref = oneCase(k2, true, stranger);
          if (ref) c.fire = ref;
          c.evidence = ref ? [ref] : [];
        });
      } else {
        // A member the lawful generators never use, deactivated, then acting.
        const gone = goneOrgs[Math.floor(i / 3)];
        if (!gone) throw new Error('no member left to deactivate');
        step(k1, () => void w.plan.add(k1, 'deactivateOrgs', gone.address, true));
        const k2b = k2 > k1 ? k2 : (picker.workingAfter(k1, 5) ?? k1 + 1);
        c.fire = { k: k2b, first: true };
        step(k2b, () => {
          c.fire = issueInvoice(k2b, w.ids.hex32(), gone, rng.int(100, 5_000) * 100);
          c.evidence = [c.fire];
        });
      }
    }
  }
  return inj;
}
