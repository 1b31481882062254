import type { Hex } from 'viem';
import { cityOf } from '../../../domain/regions';
import type { Org } from '../population';
import { isActive, type World } from '../world';
import { pickActive } from './orgs';
import { Schedule, snapToWindow } from './schedule';

interface Later {
  hash: Hex;
  issuer: Org;
  amountFen: number;
  /** A reimbursement (≤ amount, the invoice's only one) or a void (never reimbursed). */
  action: 'reimburse' | 'void';
}

const HOUR = 3600;
const DAY = 86400;

/** Who claims the invoice back: social insurance for hospital bills, finance or tax otherwise. */
function claimant(w: World, issuer: Org): Org | undefined {
  const city = cityOf(issuer.regionCode);
  const kind = issuer.kind === 21 ? 3 : w.rng.pick([8, 8, 5]);
  return (
    w.pop.deptByCityKind.get(`${city}-${kind}`) ?? w.pop.deptByCityKind.get(`${issuer.regionCode}-${kind}`)
  );
}

/**
 * E-invoices of hospitals and enterprises: each is issued once; ~60 % are reimbursed exactly once
 * 1–10 days later (in full, or partly), ~3 % are voided and then never reimbursed.
 */
export function createInvoices(w: World) {
  const { rng, tl } = w;
  const last = tl.blockCount - 1;
  const later = new Schedule<Later>();
  const blocksFor = (seconds: number) => Math.ceil(seconds / tl.interval);

  function issue(k: number): boolean {
    const issuer = pickActive(w, w.pop.issuers, k);
    if (!issuer) return false;
    const hospital = issuer.kind === 21;
    // Fen: a hospital bill of 20–5,000 yuan, an enterprise invoice of 100–50,000 yuan.
    const amountFen = hospital ? rng.int(20, 5_000) * 100 + rng.int(0, 99) : rng.int(100, 50_000) * 100;
    const hash = w.ids.hex32();
    w.plan.add(k, 'issueInvoice', {
      invoiceHash: hash,
      issuer: issuer.address,
      regionCode: issuer.regionCode,
      amountFen,
    });
    const fate = rng.next();
    if (fate < 0.6) {
      const at = snapToWindow(k + blocksFor(rng.int(1 * DAY, 10 * DAY)), tl.window);
      const amount = rng.chance(0.7)
        ? amountFen
        : Math.max(1, Math.floor((amountFen * rng.int(30, 99)) / 100));
      if (at <= last) later.add(at, { hash, issuer, amountFen: amount, action: 'reimburse' });
    } else if (fate < 0.63) {
      const at = snapToWindow(k + blocksFor(rng.int(1 * HOUR, 3 * DAY)), tl.window);
      if (at <= last) later.add(at, { hash, issuer, amountFen, action: 'void' });
    }
    return true;
  }

  return {
    step(k: number, issues: number): void {
      for (const x of later.take(k)) {
        if (w.plan.size(k) >= w.blockCapacity) break;
        if (x.action === 'void') {
          // The issuer voids it only while still a member; otherwise the invoice simply stays.
          if (isActive(x.issuer, k))
            w.plan.add(k, 'voidInvoice', { invoiceHash: x.hash, issuer: x.issuer.address });
          continue;
        }
        const c = claimant(w, x.issuer);
        if (c && isActive(c, k))
          w.plan.add(k, 'reimburse', { invoiceHash: x.hash, claimant: c.address, amountFen: x.amountFen });
      }
      for (let i = 0; i < issues && w.plan.size(k) < w.blockCapacity; i++) issue(k);
    },
  };
}
