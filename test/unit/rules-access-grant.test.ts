import { describe, expect, it } from 'vitest';
import { evaluateEventRules } from '../../workers/rules';
import { accessAfterExpiry } from '../../workers/rules/access-after-expiry';
import { accessAfterRevoke } from '../../workers/rules/access-after-revoke';
import { accessWithoutGrant } from '../../workers/rules/access-without-grant';
import { modeNotGranted } from '../../workers/rules/mode-not-granted';
import { purposeMismatch } from '../../workers/rules/purpose-mismatch';
import { addDataset, addGrant, addOrg, addr, event, h32, memState, ref, settings } from './rules-fixtures';

const accessor = addr(0xa2);
const owner = addr(0xa1);
const grantId = h32(0x9001);
const datasetId = h32(0x7001);

function setup() {
  const s = memState();
  addOrg(s, owner, 440100, '广州市公安局');
  addOrg(s, accessor, 440300, '深圳市某医院');
  addDataset(s, datasetId, owner, 2);
  const grant = addGrant(s, { grantId, datasetId, grantee: accessor, purpose: 6, modes: 2 | 4 });
  return { s, grant };
}

function access(
  over: Partial<{
    mode: number;
    purpose: number;
    accessor: `0x${string}`;
    datasetId: `0x${string}`;
    grantId: `0x${string}`;
  }> = {},
  at = {},
) {
  return event(
    'DataAccessed',
    { grantId, datasetId, accessor, mode: 2, purpose: 6, recordCount: 10, payloadHash: h32(1), ...over },
    { blockNumber: 200, logIndex: 5, ...at },
  );
}

describe('rules: ACCESS_WITHOUT_GRANT', () => {
  it('fires for an unknown grant, with the access as sole evidence and the accessor region', () => {
    const { s } = setup();
    const f = accessWithoutGrant(access({ grantId: h32(0xdead) }), s, settings);
    expect(f).toMatchObject({
      rule: 'ACCESS_WITHOUT_GRANT',
      key: '200-5',
      severity: 'high',
      regionCode: 440300,
      orgAddress: accessor,
    });
    expect(f?.evidence).toEqual([ref(200, 5)]);
    expect(f?.summary).toContain('深圳市某医院');
  });
  it('fires when the accessor is not the grantee, citing the grant event too (chain order)', () => {
    const { s } = setup();
    const other = addr(0xa3);
    const f = accessWithoutGrant(access({ accessor: other }), s, settings);
    expect(f?.evidence).toEqual([ref(5, 0), ref(200, 5)]);
    expect(f?.regionCode).toBe(0);
  });
  it('fires when the dataset is not the grant’s', () => {
    const { s } = setup();
    expect(accessWithoutGrant(access({ datasetId: h32(0x7002) }), s, settings)?.rule).toBe(
      'ACCESS_WITHOUT_GRANT',
    );
  });
  it('is silent for a lawful access', () => {
    const { s } = setup();
    expect(accessWithoutGrant(access(), s, settings)).toBeNull();
  });
  it('takes precedence: revoke, expiry, mode and purpose are not judged for that access', () => {
    const { s, grant } = setup();
    grant.revoked = true;
    grant.revokedRef = ref(150, 0);
    grant.validUntil = 0;
    const other = addr(0xa3);
    addOrg(s, other, 440300, '另一医院');
    const rules = evaluateEventRules(access({ accessor: other, mode: 8, purpose: 1 }), s, settings).map(
      (f) => f.rule,
    );
    expect(rules).toEqual(['ACCESS_WITHOUT_GRANT']);
  });
});

describe('rules: ACCESS_AFTER_REVOKE', () => {
  it('fires when the revocation is earlier in the same block (lower logIndex)', () => {
    const { s, grant } = setup();
    grant.revoked = true;
    grant.revokedRef = ref(200, 4);
    const f = accessAfterRevoke(access(), s, settings);
    expect(f?.evidence).toEqual([ref(200, 4), ref(200, 5)]);
    expect(f?.key).toBe('200-5');
  });
  it('is silent when the revocation comes later in the same block (higher logIndex)', () => {
    const { s, grant } = setup();
    grant.revoked = true;
    grant.revokedRef = ref(200, 6);
    expect(accessAfterRevoke(access(), s, settings)).toBeNull();
  });
  it('is silent when the grant was never revoked', () => {
    const { s } = setup();
    expect(accessAfterRevoke(access(), s, settings)).toBeNull();
  });
  it('a grant revoked in the same block before the access: revoke fires, the others still judged', () => {
    const { s, grant } = setup();
    grant.revoked = true;
    grant.revokedRef = ref(200, 1);
    const rules = evaluateEventRules(access({ mode: 8 }), s, settings).map((f) => f.rule);
    expect(rules).toEqual(['ACCESS_AFTER_REVOKE', 'MODE_NOT_GRANTED']);
  });
});

describe('rules: ACCESS_AFTER_EXPIRY', () => {
  it('block time equal to validUntil is lawful', () => {
    const { s, grant } = setup();
    expect(accessAfterExpiry(access({}, { blockTime: grant.validUntil }), s, settings)).toBeNull();
  });
  it('one second past validUntil fires, with grant + access as evidence', () => {
    const { s, grant } = setup();
    const f = accessAfterExpiry(access({}, { blockTime: grant.validUntil + 1 }), s, settings);
    expect(f).toMatchObject({ rule: 'ACCESS_AFTER_EXPIRY', severity: 'medium', key: '200-5' });
    expect(f?.evidence).toEqual([ref(5, 0), ref(200, 5)]);
  });
});

describe('rules: MODE_NOT_GRANTED', () => {
  it('is silent for a granted bit', () => {
    const { s } = setup();
    expect(modeNotGranted(access({ mode: 4 }), s, settings)).toBeNull();
  });
  it('fires for a bit outside the grant', () => {
    const { s } = setup();
    expect(modeNotGranted(access({ mode: 8 }), s, settings)?.summary).toContain('评估结果');
  });
  it('fires for mode 0', () => {
    const { s } = setup();
    expect(modeNotGranted(access({ mode: 0 }), s, settings)?.rule).toBe('MODE_NOT_GRANTED');
  });
  it('fires when only part of a multi-bit mode is granted', () => {
    const { s } = setup();
    expect(modeNotGranted(access({ mode: 4 | 8 }), s, settings)?.rule).toBe('MODE_NOT_GRANTED');
  });
});

describe('rules: PURPOSE_MISMATCH', () => {
  it('is silent for the granted purpose and fires for another', () => {
    const { s } = setup();
    expect(purposeMismatch(access(), s, settings)).toBeNull();
    const f = purposeMismatch(access({ purpose: 7 }), s, settings);
    expect(f?.summary).toContain('信用评估');
    expect(f?.evidence).toEqual([ref(5, 0), ref(200, 5)]);
  });
});
