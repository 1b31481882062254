import { describe, expect, it } from 'vitest';
import { duration, incidentSummary, summaryText, type SummaryFacts } from '~/domain/incident-summary';
import { modesText } from '~/domain/codes';
import { RULE_IDS } from '~/domain/rules';

const org = { name: '深圳市某医院', address: '0x00000000000000000000000000000000000000aa' };
const invoice = `0x00${'0'.repeat(60)}00ab`;

describe('incident summaries from stored facts, per language', () => {
  it('the Chinese text is the one the export carries; English says the same facts', () => {
    const f: SummaryFacts = { rule: 'DUPLICATE_REIMBURSEMENT', invoice, nth: 2, org };
    expect(summaryText(f, 'zh')).toBe('发票 0x00…ab 第二次报销（一票多报），报销单位 深圳市某医院');
    expect(summaryText(f, 'en')).toBe('Invoice 0x00…ab reimbursed a 2nd time, by 深圳市某医院');
  });

  it('a grant’s modes are listed in the page language with its own separator (English pages showed "Verify、Query")', () => {
    expect(modesText(6, 'zh')).toBe('信息核对、详情查询');
    expect(modesText(6, 'en')).toBe('Verify, Query');
    expect(modesText(15, 'en')).toBe('Submit, Verify, Query, Assess');
    expect(modesText(0, 'en')).toBe('');
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

describe('every rule, both languages', () => {
  const other = { name: '杭州市医保局', address: '0x00000000000000000000000000000000000000bb' };
  const dataset = { title: '门诊病历', id: `0x${'cd'.repeat(32)}` };
  const grant = `0x${'ef'.repeat(32)}`;
  // 2026-09-21 22:13 in Beijing
  const at = 1790000000;
  const cases: [SummaryFacts, string, string][] = [
    [
      { rule: 'ACCESS_WITHOUT_GRANT', org, dataset, records: 12, grant, reason: 'not-grantee' },
      '深圳市某医院 无授权访问 「门诊病历」(0xcd…cd) 12 条记录（授权 0xef…ef：访问方不是被授权方）',
      '深圳市某医院 accessed 12 records of "门诊病历" (0xcd…cd) without a grant (grant 0xef…ef: the accessor is not the grantee)',
    ],
    [
      { rule: 'ACCESS_AFTER_REVOKE', org, dataset, grant, revokedBlock: 120 },
      '深圳市某医院 在授权 0xef…ef 撤销后访问 「门诊病历」(0xcd…cd)（撤销于区块 120）',
      '深圳市某医院 accessed "门诊病历" (0xcd…cd) after grant 0xef…ef was revoked (in block 120)',
    ],
    [
      { rule: 'ACCESS_AFTER_EXPIRY', org, dataset, grant, validUntil: at },
      '深圳市某医院 在授权 0xef…ef 过期后访问 「门诊病历」(0xcd…cd)（有效期至 2026-09-21 22:13）',
      '深圳市某医院 accessed "门诊病历" (0xcd…cd) after grant 0xef…ef expired (valid until 2026-09-21 22:13)',
    ],
    [
      { rule: 'MODE_NOT_GRANTED', org, dataset, mode: 8, grantedModes: 6 },
      '深圳市某医院 以未授权方式「评估结果」访问 「门诊病历」(0xcd…cd)（授权方式：信息核对、详情查询）',
      '深圳市某医院 accessed "门诊病历" (0xcd…cd) in the mode "Assess" its grant lacks (granted: Verify, Query)',
    ],
    [
      { rule: 'PURPOSE_MISMATCH', org, dataset, purpose: 4, grantedPurpose: 1 },
      '深圳市某医院 访问 「门诊病历」(0xcd…cd) 的用途「税收征管」与授权用途「行政审批」不符',
      '深圳市某医院 accessed "门诊病历" (0xcd…cd) for "Tax administration", not the granted "Administrative approval"',
    ],
    [
      {
        rule: 'VOLUME_SPIKE',
        org,
        dataset,
        day: '2026-10-08',
        records: 5000,
        threshold: 2000,
        activeDays: 14,
        median: 180.5,
      },
      '深圳市某医院 2026-10-08 访问数据集 「门诊病历」(0xcd…cd) 共 5000 条记录，超过阈值 2000（此前 14 个活跃日中位数 180.5）',
      '深圳市某医院 accessed 5000 records of "门诊病历" (0xcd…cd) on 2026-10-08, above the threshold of 2000 (median 180.5 over the previous 14 active days)',
    ],
    [
      { rule: 'OFF_HOURS_BULK', org, dataset, at, records: 900 },
      '深圳市某医院 于 2026-09-21 22:13（北京时间）非工作时间批量访问 「门诊病历」(0xcd…cd) 900 条记录',
      '深圳市某医院 accessed 900 records of "门诊病历" (0xcd…cd) at 2026-09-21 22:13 (Beijing time), outside working hours',
    ],
    [
      {
        rule: 'CROSS_PROVINCE_SENSITIVE',
        org: { ...org, regionCode: 440300 },
        owner: { ...other, regionCode: 330100 },
        dataset,
        sensitivity: 3,
      },
      '深圳市某医院（深圳市）跨省访问敏感数据集 「门诊病历」(0xcd…cd)，数据方 杭州市医保局（杭州市）',
      '深圳市某医院 (Shenzhen) accessed the sensitive dataset "门诊病历" (0xcd…cd) of 杭州市医保局 (Hangzhou) in another province',
    ],
    [
      {
        rule: 'UNREGISTERED_ACTOR',
        event: 'DataAccessed',
        actors: [
          { role: 'accessor', org: { name: null, address: org.address }, deactivated: false },
          { role: 'grantor', org: other, deactivated: true },
        ],
      },
      '数据访问：访问方 0x00…aa（未注册），授权方 杭州市医保局（已注销）',
      'Data access: accessor 0x00…aa (not registered); grantor 杭州市医保局 (deactivated)',
    ],
    [
      { rule: 'DUPLICATE_REIMBURSEMENT', invoice, nth: 3, org },
      '发票 0x00…ab 第三次报销（一票多报），报销单位 深圳市某医院',
      'Invoice 0x00…ab reimbursed a 3rd time, by 深圳市某医院',
    ],
    [
      { rule: 'VOIDED_INVOICE_REIMBURSED', invoice, org, voidedBlock: 77 },
      '已作废发票 0x00…ab 被报销，报销单位 深圳市某医院（作废于区块 77）',
      'Voided invoice 0x00…ab reimbursed by 深圳市某医院 (voided in block 77)',
    ],
    [
      { rule: 'UNKNOWN_INVOICE_REIMBURSED', invoice, org, amountFen: '123456' },
      '未开具的发票 0x00…ab 被报销 1,234.56 元，报销单位 深圳市某医院',
      'Invoice 0x00…ab, never issued, reimbursed ¥1,234.56 by 深圳市某医院',
    ],
    [
      { rule: 'REIMBURSEMENT_EXCEEDS_AMOUNT', invoice, org, totalFen: '200000', amountFen: '150000' },
      '发票 0x00…ab 累计报销 2,000.00 元，超过票面金额 1,500.00 元，报销单位 深圳市某医院',
      'Invoice 0x00…ab reimbursed ¥2,000.00 in all, above its amount of ¥1,500.00, by 深圳市某医院',
    ],
    [
      { rule: 'REVOKED_CERTIFICATE_USED', cert: grant, org, revokedBlock: 55 },
      '深圳市某医院 核验了已吊销的证照 0xef…ef（吊销于区块 55）',
      '深圳市某医院 verified revoked certificate 0xef…ef (revoked in block 55)',
    ],
    [
      { rule: 'REVOKED_CERTIFICATE_USED', cert: grant, org, revokedBlock: null },
      '深圳市某医院 核验了未签发的证照 0xef…ef',
      '深圳市某医院 verified certificate 0xef…ef, which was never issued',
    ],
    [
      { rule: 'CHAIN_STALLED', block: 4000, gapSeconds: 5400, usualSeconds: 2, factor: 10 },
      '区块 4000 距上一区块 1 小时 30 分，超过通常出块间隔 2 秒 的 10 倍（链曾停止出块）',
      'Block 4000 came 1 h 30 min after the previous one, more than 10 × the usual interval of 2 s (the chain had stopped)',
    ],
    [
      { rule: 'CHAIN_STALLED_LIVE', head: 130, silentSeconds: 720, usualSeconds: 2 },
      '链已 12 分 未出新区块（最新区块 130，通常出块间隔 2 秒）',
      'No new block for 12 min (latest block 130, usual interval 2 s)',
    ],
    [
      { rule: 'MALFORMED_LOG', contract: org.address, block: 9, logIndex: 2, reason: 'data too short' },
      '合约 0x00000000000000000000000000000000000000aa 在区块 9 的第 2 条日志无法解码：data too short',
      'malformed log of contract 0x00000000000000000000000000000000000000aa at block 9 log 2: data too short',
    ],
  ];

  it.each(cases.map(([f, zh, en]) => [f.rule, f, zh, en] as const))('%s', (_rule, f, zh, en) => {
    expect(summaryText(f, 'zh')).toBe(zh);
    expect(summaryText(f, 'en')).toBe(en);
    expect(incidentSummary({ summary: zh, facts: f }, 'en')).toBe(en);
    // Only the names registered on chain may be Chinese in the English text.
    const bare = en.replaceAll(org.name, '').replaceAll(other.name, '').replaceAll(dataset.title, '');
    expect(bare).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
  });

  it('covers every rule', () => {
    const covered = new Set<string>(
      cases.map(([f]) => (f.rule === 'CHAIN_STALLED_LIVE' ? 'CHAIN_STALLED' : f.rule)),
    );
    expect([...RULE_IDS].filter((r) => !covered.has(r))).toEqual([]);
  });
});
