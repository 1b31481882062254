import { describe, expect, it } from 'vitest';
import { evaluateEventRules } from '../../workers/rules';
import { duplicateReimbursement } from '../../workers/rules/duplicate-reimbursement';
import { reimbursementExceedsAmount } from '../../workers/rules/reimbursement-exceeds-amount';
import { unknownInvoiceReimbursed } from '../../workers/rules/unknown-invoice-reimbursed';
import { voidedInvoiceReimbursed } from '../../workers/rules/voided-invoice-reimbursed';
import { addInvoice, addOrg, addr, event, h32, memState, ref, settings } from './rules-fixtures';

const claimant = addr(0xc1);
const invoiceHash = h32(0x1234ab);

function setup() {
  const s = memState();
  addOrg(s, claimant, 440300, '深圳市某医院');
  return s;
}
const claim = (amountFen: bigint, at: { blockNumber?: number; logIndex?: number } = {}) =>
  event('InvoiceReimbursed', { invoiceHash, claimant, amountFen }, { blockNumber: 400, logIndex: 2, ...at });

describe('rules: DUPLICATE_REIMBURSEMENT', () => {
  it('is silent on the first reimbursement', () => {
    const s = setup();
    addInvoice(s, { invoiceHash });
    expect(duplicateReimbursement(claim(100n), s, settings)).toBeNull();
  });
  it('fires on the second, keyed by invoice, with first + this as evidence', () => {
    const s = setup();
    addInvoice(s, { invoiceHash, reimbursementCount: 1, reimbursedFen: 100n, firstReimbursed: ref(300, 1) });
    const f = duplicateReimbursement(claim(100n), s, settings);
    expect(f).toMatchObject({
      rule: 'DUPLICATE_REIMBURSEMENT',
      key: invoiceHash,
      regionCode: 440300,
      orgAddress: claimant,
    });
    expect(f?.evidence).toEqual([ref(300, 1), ref(400, 2)]);
    expect(f?.summary).toBe('发票 0x00…ab 第二次报销（一票多报），报销单位 深圳市某医院');
  });
  it('fires even for a never-issued invoice reimbursed twice', () => {
    const s = setup();
    addInvoice(s, {
      invoiceHash,
      issued: null,
      issuer: null,
      amountFen: null,
      reimbursementCount: 1,
      firstReimbursed: ref(300, 1),
    });
    const rules = evaluateEventRules(claim(1n), s, settings).map((f) => f.rule);
    expect(rules).toEqual(['DUPLICATE_REIMBURSEMENT', 'UNKNOWN_INVOICE_REIMBURSED']);
  });
});

describe('rules: REIMBURSEMENT_EXCEEDS_AMOUNT', () => {
  it('a reimbursed total equal to the amount is lawful', () => {
    const s = setup();
    addInvoice(s, {
      invoiceHash,
      amountFen: 10_000n,
      reimbursedFen: 4_000n,
      reimbursementCount: 1,
      firstReimbursed: ref(300, 1),
    });
    expect(reimbursementExceedsAmount(claim(6_000n), s, settings)).toBeNull();
  });
  it('one fen over fires, keyed by invoice, evidence issue + this', () => {
    const s = setup();
    addInvoice(s, {
      invoiceHash,
      amountFen: 10_000n,
      reimbursedFen: 4_000n,
      reimbursementCount: 1,
      firstReimbursed: ref(300, 1),
    });
    const f = reimbursementExceedsAmount(claim(6_001n), s, settings);
    expect(f).toMatchObject({ key: invoiceHash, severity: 'medium' });
    expect(f?.evidence).toEqual([ref(10, 0), ref(400, 2)]);
    expect(f?.summary).toContain('100.01 元');
  });
  it('a single claim above the amount fires; a never-issued invoice does not', () => {
    const s = setup();
    addInvoice(s, { invoiceHash, amountFen: 10_000n });
    expect(reimbursementExceedsAmount(claim(10_001n), s, settings)).not.toBeNull();
    expect(reimbursementExceedsAmount(claim(10_001n), setup(), settings)).toBeNull();
  });
});

describe('rules: VOIDED_INVOICE_REIMBURSED', () => {
  it('fires after a void earlier in the same block; silent when the void comes later', () => {
    const s = setup();
    const inv = addInvoice(s, { invoiceHash, voided: true, voidedRef: ref(400, 1) });
    const f = voidedInvoiceReimbursed(claim(1n), s, settings);
    expect(f?.evidence).toEqual([ref(400, 1), ref(400, 2)]);
    expect(f?.key).toBe('400-2');
    inv.voidedRef = ref(400, 3);
    expect(voidedInvoiceReimbursed(claim(1n), s, settings)).toBeNull();
  });
});

describe('rules: UNKNOWN_INVOICE_REIMBURSED', () => {
  it('fires for an invoice never seen or never issued; silent for an issued one', () => {
    expect(unknownInvoiceReimbursed(claim(1n), setup(), settings)?.key).toBe('400-2');
    const s = setup();
    addInvoice(s, { invoiceHash, issued: null, issuer: null, amountFen: null });
    expect(unknownInvoiceReimbursed(claim(1n), s, settings)).not.toBeNull();
    const t = setup();
    addInvoice(t, { invoiceHash });
    expect(unknownInvoiceReimbursed(claim(1n), t, settings)).toBeNull();
  });
});
