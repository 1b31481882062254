import {
  ACCESS_MODES,
  CERTIFICATE_TYPES,
  CHANNELS,
  DATASET_CATEGORIES,
  ONLINE_LEVELS,
  ORG_KINDS,
  PURPOSES,
  SENSITIVITY,
  type Label,
} from './codes';

/*
 * What kind of value each decoded event field holds, by field name (the names of the compiled ABIs,
 * which test/unit/event-fields.test.ts checks these lists against). The pages render a field by its
 * kind; the server looks up the orgs an event names and scopes transactions by their regions.
 */

/** Fields holding an org's address. */
export const ADDRESS_FIELDS = [
  'account',
  'owner',
  'grantee',
  'grantor',
  'revokedBy',
  'accessor',
  'issuer',
  'claimant',
  'verifier',
  'org',
] as const;

/** Fields holding a hash that names a grant, invoice, certificate, case or payload: /verify finds
 * it. (`datasetId` names a dataset and `orgCode` an org's code: shown, not verified.) */
export const HASH_FIELDS = ['grantId', 'invoiceHash', 'certHash', 'payloadHash', 'caseId'] as const;

/** Fields holding a code of a domain/codes.ts table. */
export const CODE_FIELDS: Readonly<Record<string, Record<number, Label>>> = {
  mode: ACCESS_MODES,
  purpose: PURPOSES,
  category: DATASET_CATEGORIES,
  sensitivity: SENSITIVITY,
  kind: ORG_KINDS,
  certType: CERTIFICATE_TYPES,
  channel: CHANNELS,
  onlineLevel: ONLINE_LEVELS,
};
