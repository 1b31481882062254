import { describe, expect, it } from 'vitest';
import { duration, incidentSummary, summaryText, type SummaryFacts } from '~/domain/incident-summary';

const org = { name: '深圳市某医院', address: '0x00000000000000000000000000000000000000aa' };
const invoice = `0x00${'0'.repeat(60)}00ab`;

describe('incident summaries from stored facts, per language', () => {
  it('the Chinese text is the one the export carries; English says the same facts', () => {
    const f: SummaryFacts = { rule: 'DUPLICATE_REIMBURSEMENT', invoice, nth: 2, org };
    expect(summaryText(f, 'zh')).toBe('发票 0x00…ab 第二次报销（一票多报），报销单位 深圳市某医院');
    expect(summaryText(f, 'en')).toBe('Invoice 0x00…ab reimbursed a 2nd time, by 深圳市某医院');
  });

  it('codes in the page language: modes, grant reasons, unregistered roles', () => {
    const dataset = { title: null, id: `0x${'cd'.repeat(32)}` };
    const mode: SummaryFacts = { rule: 'MODE_NOT_GRANTED', org, dataset, mode: 8, grantedModes: 6 };
    expect(summaryText(mode, 'en')).toBe(
      '深圳市某医院 accessed unregistered dataset 0xcd…cd in the mode "Assess" its grant lacks (granted: Verify, Query)',
    );
    const actor: SummaryFacts = {
      rule: 'UNREGISTERED_ACTOR',
      event: 'AccessGranted',
      actors: [{ role: 'grantor', org: { name: null, address: org.address }, deactivated: false }],
    };
    expect(summaryText(actor, 'zh')).toBe('数据授权：授权方 0x00…aa（未注册）');
    expect(summaryText(actor, 'en')).toBe('Data grant: grantor 0x00…aa (not registered)');
  });

  it('a stall in hours, not 72000 seconds', () => {
    const f: SummaryFacts = { rule: 'CHAIN_STALLED_LIVE', head: 130, silentSeconds: 72000, usualSeconds: 2 };
    expect(summaryText(f, 'zh')).toBe('链已 20 小时 未出新区块（最新区块 130，通常出块间隔 2 秒）');
    expect(summaryText(f, 'en')).toBe('No new block for 20 h (latest block 130, usual interval 2 s)');
    expect(duration(95, 'en')).toBe('1 min 35 s');
    expect(duration(90061, 'zh')).toBe('1 天 1 小时');
  });

  it('incidents without facts (older ones, malformed logs) keep their stored text', () => {
    expect(incidentSummary({ summary: '旧的摘要', facts: null }, 'en')).toBe('旧的摘要');
    expect(incidentSummary({ summary: 'x', facts: { nonsense: 1 } }, 'en')).toBe('x');
  });
});
