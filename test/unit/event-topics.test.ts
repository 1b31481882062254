import { describe, expect, it } from 'vitest';
import { keccak256, parseAbiItem, toEventSelector, toHex, type AbiEvent } from 'viem';
import { ARTIFACTS } from '../../chain/deploy';
import { EVENT_CONTRACT, EVENT_DECLARATIONS, EVENT_NAMES, EVENT_SIGNATURES } from '../../domain/events';

/** DESIGN §2 verbatim: which parameters are indexed. The ABI must match it exactly. */
const INDEXED: Record<string, string[]> = {
  OrgRegistered: ['account', 'orgCode'],
  OrgDeactivated: ['account'],
  DatasetRegistered: ['datasetId', 'owner'],
  AccessGranted: ['grantId', 'datasetId', 'grantee'],
  AccessRevoked: ['grantId', 'revokedBy'],
  DataAccessed: ['grantId', 'datasetId', 'accessor'],
  InvoiceIssued: ['invoiceHash', 'issuer'],
  InvoiceReimbursed: ['invoiceHash', 'claimant'],
  InvoiceVoided: ['invoiceHash', 'issuer'],
  CertificateIssued: ['certHash', 'issuer'],
  CertificateRevoked: ['certHash', 'issuer'],
  CertificateVerified: ['certHash', 'verifier'],
  ServiceItemListed: ['regionCode', 'itemCode'],
  CaseCompleted: ['caseId', 'org', 'regionCode'],
};

describe('contract events match DESIGN §2', () => {
  for (const name of EVENT_NAMES) {
    it(`${name}: topic is keccak256 of the design signature, indexed flags match`, () => {
      const abi = ARTIFACTS[EVENT_CONTRACT[name]].abi;
      const ev = abi.find((x): x is AbiEvent => x.type === 'event' && x.name === name);
      expect(ev).toBeDefined();
      expect(toEventSelector(ev!)).toBe(keccak256(toHex(EVENT_SIGNATURES[name])));
      expect(ev!.inputs.filter((i) => i.indexed).map((i) => i.name)).toEqual(INDEXED[name]);
    });
  }

  it('each contract declares exactly its events of the design', () => {
    for (const [contract, { abi }] of Object.entries(ARTIFACTS)) {
      const declared = abi
        .filter((x) => x.type === 'event')
        .map((x) => x.name)
        .sort();
      const expected = EVENT_NAMES.filter((n) => EVENT_CONTRACT[n] === contract).sort();
      expect(declared).toEqual(expected);
    }
  });
});

describe('EVENT_DECLARATIONS (read back by export verification)', () => {
  it('parse to exactly the compiled ABIs’ events', () => {
    for (const name of EVENT_NAMES) {
      const abi = ARTIFACTS[EVENT_CONTRACT[name]].abi;
      const compiled = abi.find((x): x is AbiEvent => x.type === 'event' && x.name === name);
      const declared = parseAbiItem(EVENT_DECLARATIONS[name]) as AbiEvent;
      expect(declared.inputs.map((i) => [i.name, i.type, i.indexed ?? false])).toEqual(
        compiled!.inputs.map((i) => [i.name, i.type, i.indexed ?? false]),
      );
    }
  });
});
