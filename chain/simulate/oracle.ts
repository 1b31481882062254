import type { EventName } from '../../domain/events';
import { chainStalledKey, eventKey, volumeSpikeKey } from '../../domain/finding-keys';
import { provinceOf } from '../../domain/regions';
import type { RuleId } from '../../domain/rules';
import { shanghaiDay } from '../../domain/time';
import { shanghaiHourFast } from './rhythm';

/**
 * A plain, slow re-statement of docs/rules.md over decoded logs, used by the simulator's tests to
 * prove the ground truth is exact: every finding here is a ground-truth case and vice versa.
 * Not the product's rule engine (workers/rules); deliberately independent of it.
 */
export interface OracleLog {
  blockNumber: number;
  logIndex: number;
  timestamp: number;
  eventName: EventName;
  args: Record<string, unknown>;
}

export interface OracleFinding {
  rule: RuleId;
  key: string;
}

const lc = (x: unknown) => String(x).toLowerCase();

export function runOracle(
  logs: readonly OracleLog[],
  blocks: readonly { number: number; timestamp: number }[],
): OracleFinding[] {
  const out: OracleFinding[] = [];
  const orgs = new Map<string, { active: boolean; region: number }>();
  const datasets = new Map<string, { owner: string; sensitivity: number }>();
  const grants = new Map<
    string,
    { grantee: string; dataset: string; modes: number; purpose: number; validUntil: number; revoked: boolean }
  >();
  const invoices = new Map<string, { amount: bigint; total: bigint; count: number; voided: boolean }>();
  const certs = new Map<string, { revoked: boolean }>();
  const volume = new Map<string, Map<string, number>>(); // pair → day → records
  const perInvoiceDone = new Set<string>();

  for (const l of logs) {
    const a = l.args;
    const ek = eventKey(l.blockNumber, l.logIndex);
    const fire = (rule: RuleId, key = ek) => out.push({ rule, key });
    const unregistered = (...actors: unknown[]) => {
      if (actors.some((x) => !orgs.get(lc(x))?.active)) fire('UNREGISTERED_ACTOR');
    };
    switch (l.eventName) {
      case 'OrgRegistered':
        orgs.set(lc(a.account), { active: true, region: Number(a.regionCode) });
        break;
      case 'OrgDeactivated': {
        const o = orgs.get(lc(a.account));
        if (o) o.active = false;
        break;
      }
      case 'DatasetRegistered':
        datasets.set(lc(a.datasetId), { owner: lc(a.owner), sensitivity: Number(a.sensitivity) });
        break;
      case 'AccessGranted':
        unregistered(a.grantee, a.grantor);
        grants.set(lc(a.grantId), {
          grantee: lc(a.grantee),
          dataset: lc(a.datasetId),
          modes: Number(a.modes),
          purpose: Number(a.purpose),
          validUntil: Number(a.validUntil),
          revoked: false,
        });
        break;
      case 'AccessRevoked': {
        const g = grants.get(lc(a.grantId));
        if (g) g.revoked = true;
        break;
      }
      case 'DataAccessed': {
        const accessor = lc(a.accessor);
        const dataset = lc(a.datasetId);
        const mode = Number(a.mode);
        const count = Number(a.recordCount);
        unregistered(accessor);
        const g = grants.get(lc(a.grantId));
        if (!g || g.grantee !== accessor || g.dataset !== dataset) fire('ACCESS_WITHOUT_GRANT');
        else {
          if (g.revoked) fire('ACCESS_AFTER_REVOKE');
          if (l.timestamp > g.validUntil) fire('ACCESS_AFTER_EXPIRY');
          if (mode === 0 || (g.modes & mode) !== mode) fire('MODE_NOT_GRANTED');
          if (Number(a.purpose) !== g.purpose) fire('PURPOSE_MISMATCH');
        }
        const h = shanghaiHourFast(l.timestamp);
        if (count >= 1000 && (h >= 22 || h < 6)) fire('OFF_HOURS_BULK');
        const d = datasets.get(dataset);
        const owner = d ? orgs.get(d.owner) : undefined;
        const who = orgs.get(accessor);
        if (d && d.sensitivity >= 3 && owner && who && provinceOf(owner.region) !== provinceOf(who.region)) {
          fire('CROSS_PROVINCE_SENSITIVE');
        }
        const pair = `${accessor}-${dataset}`;
        const days = volume.get(pair) ?? new Map<string, number>();
        volume.set(pair, days);
        const day = shanghaiDay(l.timestamp);
        days.set(day, (days.get(day) ?? 0) + count);
        break;
      }
      case 'InvoiceIssued':
        unregistered(a.issuer);
        invoices.set(lc(a.invoiceHash), {
          amount: BigInt(a.amountFen as bigint),
          total: 0n,
          count: 0,
          voided: false,
        });
        break;
      case 'InvoiceVoided': {
        unregistered(a.issuer);
        const inv = invoices.get(lc(a.invoiceHash));
        if (inv) inv.voided = true;
        break;
      }
      case 'InvoiceReimbursed': {
        unregistered(a.claimant);
        const hash = lc(a.invoiceHash);
        const inv = invoices.get(hash);
        if (!inv) {
          fire('UNKNOWN_INVOICE_REIMBURSED');
          break;
        }
        if (inv.count >= 1 && !perInvoiceDone.has(`D${hash}`)) {
          perInvoiceDone.add(`D${hash}`);
          fire('DUPLICATE_REIMBURSEMENT', hash);
        }
        if (inv.voided) fire('VOIDED_INVOICE_REIMBURSED');
        inv.count++;
        inv.total += BigInt(a.amountFen as bigint);
        if (inv.total > inv.amount && !perInvoiceDone.has(`E${hash}`)) {
          perInvoiceDone.add(`E${hash}`);
          fire('REIMBURSEMENT_EXCEEDS_AMOUNT', hash);
        }
        break;
      }
      case 'CertificateIssued':
        unregistered(a.issuer);
        certs.set(lc(a.certHash), { revoked: false });
        break;
      case 'CertificateRevoked': {
        unregistered(a.issuer);
        const c = certs.get(lc(a.certHash));
        if (c) c.revoked = true;
        break;
      }
      case 'CertificateVerified': {
        unregistered(a.verifier);
        const c = certs.get(lc(a.certHash));
        if (!c || c.revoked) fire('REVOKED_CERTIFICATE_USED');
        break;
      }
      case 'CaseCompleted':
        unregistered(a.org);
        break;
      case 'ServiceItemListed':
        break;
    }
  }

  for (const [pair, days] of volume) {
    const [accessor, dataset] = pair.split('-') as [string, string];
    const ordered = [...days.entries()].sort((x, y) => x[0].localeCompare(y[0]));
    ordered.forEach(([day, total], i) => {
      const prev = ordered
        .slice(Math.max(0, i - 14), i)
        .map(([, t]) => t)
        .sort((x, y) => x - y);
      const m =
        prev.length === 0
          ? 0
          : prev.length % 2
            ? (prev[(prev.length - 1) / 2] ?? 0)
            : ((prev[prev.length / 2 - 1] ?? 0) + (prev[prev.length / 2] ?? 0)) / 2;
      if (total > Math.max(1000, 10 * m))
        out.push({ rule: 'VOLUME_SPIKE', key: volumeSpikeKey(accessor, dataset, day) });
    });
  }

  const deltas = blocks
    .slice(1)
    .map((b, i) => b.timestamp - (blocks[i]?.timestamp ?? 0))
    .sort((x, y) => x - y);
  const usual = deltas[Math.floor(deltas.length / 2)] ?? 0;
  for (let i = 1; i < blocks.length; i++) {
    const b = blocks[i];
    const p = blocks[i - 1];
    if (b && p && b.timestamp - p.timestamp > 10 * usual)
      out.push({ rule: 'CHAIN_STALLED', key: chainStalledKey(b.number) });
  }
  return out;
}
