import { describe, expect, it } from 'vitest';
import { actorsOf, everyActorActive, unregisteredActor } from '../../workers/rules/unregistered-actor';
import { addOrg, addr, event, h32, memState, settings } from './rules-fixtures';

type Address = `0x${string}`;

const accessGranted = (
  grantee: Address,
  grantor: Address,
  at: { blockNumber?: number; logIndex?: number } = {},
) =>
  event(
    'AccessGranted',
    { grantId: h32(1), datasetId: h32(2), grantee, grantor, purpose: 1, modes: 2, validUntil: 0 },
    at,
  );

describe('rules: UNREGISTERED_ACTOR', () => {
  it('names every unregistered actor of an AccessGranted in one finding keyed by the event', () => {
    const s = memState();
    const f = unregisteredActor(
      accessGranted(addr(1), addr(2), { blockNumber: 50, logIndex: 3 }),
      s,
      settings,
    );
    expect(f).toMatchObject({ rule: 'UNREGISTERED_ACTOR', key: '50-3', regionCode: 0, orgAddress: addr(1) });
    expect(f?.summary).toContain('被授权方');
    expect(f?.summary).toContain('授权方 0x00…02');
    expect(f?.evidence).toHaveLength(1);
  });
  it('names an unregistered org granting to itself once, and only the unregistered one of two', () => {
    const s = memState();
    const self = unregisteredActor(accessGranted(addr(3), addr(3)), s, settings);
    expect(self?.facts).toMatchObject({ actors: [{ role: 'grantee' }] });
    expect((self?.facts as { actors: unknown[] }).actors).toHaveLength(1);
    addOrg(s, addr(1), 440100, 'A');
    const one = unregisteredActor(accessGranted(addr(1), addr(4)), s, settings);
    expect(one).toMatchObject({ orgAddress: addr(4) });
    expect((one?.facts as { actors: unknown[] }).actors).toEqual([
      { role: 'grantor', org: expect.anything(), deactivated: false },
    ]);
  });
  it('is silent when every actor is registered and active', () => {
    const s = memState();
    addOrg(s, addr(1), 440100, 'A');
    addOrg(s, addr(2), 440100, 'B');
    expect(unregisteredActor(accessGranted(addr(1), addr(2)), s, settings)).toBeNull();
  });
  it('fires for a deactivated org, keeping its region', () => {
    const s = memState();
    addOrg(s, addr(3), 320100, '南京某医院', false);
    const f = unregisteredActor(
      event('InvoiceReimbursed', { invoiceHash: h32(9), claimant: addr(3), amountFen: 1n }),
      s,
      settings,
    );
    expect(f).toMatchObject({ regionCode: 320100, orgAddress: addr(3) });
    expect(f?.summary).toContain('已注销');
  });
  it('covers issuer, verifier and case org; ignores OrgRegistered and ServiceItemListed', () => {
    const s = memState();
    const judged = [
      event('InvoiceIssued', { invoiceHash: h32(1), issuer: addr(5), regionCode: 440100, amountFen: 1n }),
      event('InvoiceVoided', { invoiceHash: h32(1), issuer: addr(5) }),
      event('CertificateIssued', { certHash: h32(1), issuer: addr(5), certType: 1, regionCode: 440100 }),
      event('CertificateRevoked', { certHash: h32(1), issuer: addr(5) }),
      event('CertificateVerified', { certHash: h32(1), verifier: addr(5) }),
      event('CaseCompleted', {
        caseId: h32(1),
        org: addr(5),
        regionCode: 440100,
        itemCode: 1,
        channel: 2,
        orgsInvolved: 1,
        durationMinutes: 5,
      }),
      event('DataAccessed', {
        grantId: h32(1),
        datasetId: h32(2),
        accessor: addr(5),
        mode: 2,
        purpose: 1,
        recordCount: 1,
        payloadHash: h32(3),
      }),
    ];
    for (const ev of judged)
      expect(unregisteredActor(ev, s, settings)?.orgAddress, ev.eventName).toBe(addr(5));
    expect(
      unregisteredActor(
        event('ServiceItemListed', { regionCode: 440100, itemCode: 1, onlineLevel: 2 }),
        s,
        settings,
      ),
    ).toBeNull();
    expect(
      unregisteredActor(
        event('OrgRegistered', { account: addr(5), orgCode: h32(1), regionCode: 440100, kind: 1, name: 'x' }),
        s,
        settings,
      ),
    ).toBeNull();
  });
  it('checks exactly the actors it lists, for every event, whichever of them are active', () => {
    // The quick check (no list built) must name the same addresses as actorsOf: every event of
    // DESIGN §2 with its actors at distinct addresses, each actor alone left unregistered,
    // deactivated, or registered and active.
    const events = [
      event('OrgRegistered', { account: addr(1), orgCode: h32(1), regionCode: 440100, kind: 1, name: 'x' }),
      event('OrgDeactivated', { account: addr(1) }),
      event('DatasetRegistered', {
        datasetId: h32(2),
        owner: addr(1),
        category: 1,
        sensitivity: 1,
        title: 't',
      }),
      accessGranted(addr(1), addr(2)),
      event('AccessRevoked', { grantId: h32(1), revokedBy: addr(2) }),
      event('DataAccessed', {
        grantId: h32(1),
        datasetId: h32(2),
        accessor: addr(1),
        mode: 2,
        purpose: 1,
        recordCount: 1,
        payloadHash: h32(3),
      }),
      event('InvoiceIssued', { invoiceHash: h32(1), issuer: addr(1), regionCode: 440100, amountFen: 1n }),
      event('InvoiceReimbursed', { invoiceHash: h32(1), claimant: addr(2), amountFen: 1n }),
      event('InvoiceVoided', { invoiceHash: h32(1), issuer: addr(1) }),
      event('CertificateIssued', { certHash: h32(1), issuer: addr(1), certType: 1, regionCode: 440100 }),
      event('CertificateRevoked', { certHash: h32(1), issuer: addr(1) }),
      event('CertificateVerified', { certHash: h32(1), verifier: addr(2) }),
      event('ServiceItemListed', { regionCode: 440100, itemCode: 1, onlineLevel: 2 }),
      event('CaseCompleted', {
        caseId: h32(1),
        org: addr(2),
        regionCode: 440100,
        itemCode: 1,
        channel: 2,
        orgsInvolved: 1,
        durationMinutes: 5,
      }),
    ];
    let listed = 0;
    for (const ev of events) {
      const actors = actorsOf(ev).map((a) => a.address);
      listed += actors.length;
      for (const odd of [null, ...actors])
        for (const oddState of ['unregistered', 'deactivated'] as const) {
          const s = memState();
          for (const a of [addr(1), addr(2)]) {
            if (a !== odd) addOrg(s, a, 440100, 'A');
            else if (oddState === 'deactivated') addOrg(s, a, 440100, 'A', false);
          }
          const expected = actors.every((a) => a !== odd);
          expect(everyActorActive(ev, s), `${ev.eventName}, ${odd ?? 'none'} ${oddState}`).toBe(expected);
          expect(unregisteredActor(ev, s, settings) === null, ev.eventName).toBe(expected);
        }
    }
    expect(listed).toBe(10);
  });
});
