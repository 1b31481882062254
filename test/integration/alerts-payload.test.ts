import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertPayload } from '../../workers/alerts/payload';
import type { TestDb } from '../helpers/db';
import { hx, insertIncident, ORGS, seededTestDb } from './supervision-seed';

/**
 * The webhook's JSON carries the incident summary in both languages (docs/operations.md, Alert
 * webhook): `summary` stays the stored Chinese text for existing receivers, `summaries` holds
 * each language rendered from the incident's facts.
 */
let db: TestDb;

beforeAll(async () => {
  db = await seededTestDb();
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe('alert payload', () => {
  it('carries the summary in Chinese and English, rendered from the facts', async () => {
    const id = await insertIncident(db.db, {
      rule: 'UNKNOWN_INVOICE_REIMBURSED',
      severity: 'high',
      regionCode: 440100,
      org: ORGS.gzTax.address,
      eventName: 'InvoiceReimbursed',
      args: { claimant: ORGS.gzTax.address, invoiceHash: '0x05', amountFen: '123456' },
      at: new Date('2026-11-02T10:00:00+08:00'),
      summary: '未开具的发票 0xcd…05 被报销 1,234.56 元，报销单位 广州市税务局',
      facts: {
        rule: 'UNKNOWN_INVOICE_REIMBURSED',
        invoice: `0x${'cd'.repeat(31)}05`,
        org: { name: ORGS.gzTax.name, address: ORGS.gzTax.address },
        amountFen: '123456',
      },
    });
    const p = await buildAlertPayload(db.pool, id);
    expect(p?.event).toBe('incident.created');
    expect(p?.incident).toMatchObject({
      id,
      rule: 'UNKNOWN_INVOICE_REIMBURSED',
      ruleLabel: '未开具发票报销',
      ruleLabels: { zh: '未开具发票报销', en: 'Unknown invoice reimbursed' },
      regionCode: 440100,
      regionName: '广州市',
      regionNames: { zh: '广州市', en: 'Guangzhou' },
      summary: '未开具的发票 0xcd…05 被报销 1,234.56 元，报销单位 广州市税务局',
      summaries: {
        zh: '未开具的发票 0xcd…05 被报销 1,234.56 元，报销单位 广州市税务局',
        en: 'Invoice 0xcd…05, never issued, reimbursed ¥1,234.56 by 广州市税务局',
      },
      occurredAt: '2026-11-02T02:00:00.000Z',
    });
    expect(p?.incident.evidence).toHaveLength(1);
  });

  it('an incident detected before facts were kept has its stored Chinese text in both', async () => {
    const id = await insertIncident(db.db, {
      rule: 'DUPLICATE_REIMBURSEMENT',
      severity: 'high',
      regionCode: 440106,
      org: ORGS.tianheHospital.address,
      eventName: 'InvoiceReimbursed',
      args: { claimant: ORGS.tianheHospital.address, invoiceHash: hx(3), amountFen: '100' },
      at: new Date('2026-11-03T10:00:00+08:00'),
      summary: '发票 0x00…03 第二次报销（一票多报），报销单位 天河区人民医院',
    });
    const p = await buildAlertPayload(db.pool, id);
    expect(p?.incident.summary).toBe('发票 0x00…03 第二次报销（一票多报），报销单位 天河区人民医院');
    expect(p?.incident.summaries).toEqual({
      zh: '发票 0x00…03 第二次报销（一票多报），报销单位 天河区人民医院',
      en: '发票 0x00…03 第二次报销（一票多报），报销单位 天河区人民医院',
    });
    expect(p?.incident.ruleLabels).toEqual({ zh: '一票多报', en: 'Duplicate reimbursement' });
  });
});
