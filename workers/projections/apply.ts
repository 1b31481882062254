import type { ChainEvent } from '../events/types';
import type { EventRef } from '../state/types';
import type { ProjectionStore } from './store';

function refOf(ev: ChainEvent): EventRef {
  return { blockNumber: ev.blockNumber, logIndex: ev.logIndex, txHash: ev.txHash };
}

/**
 * Applies one event to the projection state, in chain order. Pure state transitions: the rows
 * derived per event (accesses, cases, rollups) are produced by derive.ts from the state before
 * this call.
 */
export function applyEvent(store: ProjectionStore, ev: ChainEvent): void {
  switch (ev.eventName) {
    case 'OrgRegistered': {
      const a = ev.args;
      // A re-registration after deactivation reactivates the org with its new attributes and a new
      // membership date. Re-registering an active member only updates its attributes: it has been
      // a member since its first registration, and that is the date its page shows.
      const prev = store.orgs.get(a.account);
      const continuing = prev?.active === true;
      store.orgs.set(a.account, {
        address: a.account,
        orgCode: a.orgCode,
        regionCode: a.regionCode,
        kind: a.kind,
        name: a.name,
        active: true,
        registered: continuing ? prev.registered : refOf(ev),
        registeredAt: continuing ? prev.registeredAt : ev.blockTime,
        deactivated: null,
        lastBlock: ev.blockNumber,
      });
      store.dirty.orgs.add(a.account);
      return;
    }
    case 'OrgDeactivated': {
      const o = store.orgs.get(ev.args.account);
      if (!o) return; // deactivating an unknown account changes nothing
      o.active = false;
      o.deactivated = refOf(ev);
      o.lastBlock = ev.blockNumber;
      store.dirty.orgs.add(o.address);
      return;
    }
    case 'DatasetRegistered': {
      const a = ev.args;
      store.datasets.set(a.datasetId, {
        datasetId: a.datasetId,
        owner: a.owner,
        category: a.category,
        sensitivity: a.sensitivity,
        title: a.title,
        registeredBlock: ev.blockNumber,
        lastBlock: ev.blockNumber,
      });
      store.dirty.datasets.add(a.datasetId);
      return;
    }
    case 'AccessGranted': {
      const a = ev.args;
      store.grants.set(a.grantId, {
        grantId: a.grantId,
        datasetId: a.datasetId,
        grantee: a.grantee,
        grantor: a.grantor,
        purpose: a.purpose,
        modes: a.modes,
        validUntil: a.validUntil,
        granted: refOf(ev),
        grantedAt: ev.blockTime,
        revoked: false,
        revokedBy: null,
        revokedRef: null,
        lastBlock: ev.blockNumber,
      });
      store.dirty.grants.add(a.grantId);
      return;
    }
    case 'AccessRevoked': {
      const g = store.grants.get(ev.args.grantId);
      if (!g || g.revoked) return; // the first revocation is the one that counts
      g.revoked = true;
      g.revokedBy = ev.args.revokedBy;
      g.revokedRef = refOf(ev);
      g.lastBlock = ev.blockNumber;
      store.dirty.grants.add(g.grantId);
      return;
    }
    case 'DataAccessed':
      // Changes no projection's state: its grant's access count is a sum carried with the rollups
      // (derive.ts), not a field of the grant kept here.
      return;
    case 'InvoiceIssued': {
      const a = ev.args;
      const prev = store.invoices.get(a.invoiceHash);
      store.invoices.set(a.invoiceHash, {
        invoiceHash: a.invoiceHash,
        issuer: a.issuer,
        regionCode: a.regionCode,
        amountFen: a.amountFen,
        issued: refOf(ev),
        // Reimbursements recorded before the issue (never lawful) still count.
        reimbursedFen: prev?.reimbursedFen ?? 0n,
        reimbursementCount: prev?.reimbursementCount ?? 0,
        firstReimbursed: prev?.firstReimbursed ?? null,
        voided: prev?.voided ?? false,
        voidedRef: prev?.voidedRef ?? null,
        lastBlock: ev.blockNumber,
      });
      store.dirty.invoices.add(a.invoiceHash);
      return;
    }
    case 'InvoiceReimbursed': {
      const a = ev.args;
      const inv = store.invoices.get(a.invoiceHash) ?? {
        invoiceHash: a.invoiceHash,
        issuer: null,
        regionCode: null,
        amountFen: null,
        issued: null,
        reimbursedFen: 0n,
        reimbursementCount: 0,
        firstReimbursed: null,
        voided: false,
        voidedRef: null,
        lastBlock: ev.blockNumber,
      };
      inv.reimbursedFen += a.amountFen;
      inv.reimbursementCount += 1;
      inv.firstReimbursed ??= refOf(ev);
      inv.lastBlock = ev.blockNumber;
      store.invoices.set(a.invoiceHash, inv);
      store.dirty.invoices.add(a.invoiceHash);
      return;
    }
    case 'InvoiceVoided': {
      const inv = store.invoices.get(ev.args.invoiceHash);
      if (!inv || inv.voided) return;
      inv.voided = true;
      inv.voidedRef = refOf(ev);
      inv.lastBlock = ev.blockNumber;
      store.dirty.invoices.add(inv.invoiceHash);
      return;
    }
    case 'CertificateIssued': {
      const a = ev.args;
      const prev = store.certificates.get(a.certHash);
      store.certificates.set(a.certHash, {
        certHash: a.certHash,
        issuer: a.issuer,
        certType: a.certType,
        regionCode: a.regionCode,
        issued: refOf(ev),
        revoked: false,
        revokedRef: null,
        verificationCount: prev?.verificationCount ?? 0,
        lastBlock: ev.blockNumber,
      });
      store.dirty.certificates.add(a.certHash);
      return;
    }
    case 'CertificateRevoked': {
      const c = store.certificates.get(ev.args.certHash);
      if (!c || c.revoked) return;
      c.revoked = true;
      c.revokedRef = refOf(ev);
      c.lastBlock = ev.blockNumber;
      store.dirty.certificates.add(c.certHash);
      return;
    }
    case 'CertificateVerified': {
      const c = store.certificates.get(ev.args.certHash) ?? {
        certHash: ev.args.certHash,
        issuer: null,
        certType: null,
        regionCode: null,
        issued: null,
        revoked: false,
        revokedRef: null,
        verificationCount: 0,
        lastBlock: ev.blockNumber,
      };
      c.verificationCount += 1;
      c.lastBlock = ev.blockNumber;
      store.certificates.set(c.certHash, c);
      store.dirty.certificates.add(c.certHash);
      return;
    }
    case 'ServiceItemListed':
    case 'CaseCompleted':
      // Stateless for the rules; their rows and rollups come from derive.ts.
      return;
  }
}
