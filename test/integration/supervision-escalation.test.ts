import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { incidents, supervisionEscalations } from '../../db/schema';
import { caseQueue } from '../../server/services/supervision-read';
import { handOver } from '../../server/services/supervision-workflow';
import { createUser } from '../../server/services/users';
import { verifyWebhook } from '../../workers/alerts/sign';
import { createMailer, type Mailer } from '../../workers/mail/mailer';
import { sweepSupervision } from '../../workers/supervision/sweep';
import type { TestDb } from '../helpers/db';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp';
import { insertIncident, ORGS, seededTestDb } from './supervision-seed';

/**
 * Reminders and escalation with a pinned clock: yellow and red reminders by e-mail (read back from
 * a real SMTP server) and webhook, escalation district → city → province after 2 complete overdue
 * working days each, every one exactly once across restarts and concurrent sweeps.
 */
const SECRET = 'supervision-webhook-secret';
let db: TestDb;
let mailbox: TestMailbox;
let mailer: Mailer;
let hook: Server;
let hookUrl: string;
const hooks: { event: string; body: Record<string, unknown>; valid: boolean }[] = [];
let id: number;

beforeAll(async () => {
  db = await seededTestDb();
  mailbox = await startTestMailbox();
  mailer = createMailer({ smtpUrl: mailbox.url, from: '链监 <lianjian@example.gov.cn>' });
  hook = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const ts = Number(req.headers['x-lianjian-timestamp']);
      hooks.push({
        event: String(req.headers['x-lianjian-event']),
        body: JSON.parse(raw) as Record<string, unknown>,
        valid: verifyWebhook(SECRET, ts, raw, String(req.headers['x-lianjian-signature'])),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const mk = (
    role: 'department' | 'regulator',
    regionCode: number | null,
    email: string,
    orgAddress?: string,
  ) =>
    createUser(
      { db: db.db, actor: { id: null, label: 'test' } },
      { email, password: 'correct horse battery', role, regionCode, orgAddress },
    );
  await mk('department', 440106, 'dept@tianhe.example.gov.cn', ORGS.tianheHospital.address);
  await mk('regulator', 440106, 'reg-tianhe@example.gov.cn');
  await mk('regulator', 440100, 'reg-gz@example.gov.cn');
  await mk('regulator', 440000, 'reg-gd@example.gov.cn');
  id = await insertIncident(db.db, {
    rule: 'DUPLICATE_REIMBURSEMENT',
    severity: 'high',
    regionCode: 440106,
    org: ORGS.tianheHospital.address,
    eventName: 'InvoiceReimbursed',
    args: { claimant: ORGS.tianheHospital.address, invoiceHash: '0x03', amountFen: '100' },
    at: new Date('2025-09-29T09:00:00+08:00'),
    facts: {
      rule: 'DUPLICATE_REIMBURSEMENT',
      invoice: `0x${'ab'.repeat(31)}03`,
      nth: 2,
      org: { name: ORGS.tianheHospital.name, address: ORGS.tianheHospital.address },
    },
  });
  await handOver(
    {
      db: db.db,
      viewer: { kind: 'region', scope: { regionCode: 440106 }, direct: true },
      actor: { id: null, label: 'reg-tianhe@example.gov.cn' },
      ip: null,
      now: new Date('2025-09-30T10:00:00+08:00'),
    },
    { id, instructions: '请说明一票多报原因' },
  );
}, 120_000);
afterAll(async () => {
  mailer?.close();
  await mailbox?.close();
  await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
  await db?.drop();
});

const sweep = (iso: string, m: Mailer = mailer, handle = db.db) =>
  sweepSupervision({ db: handle, mailer: m, webhook: { url: hookUrl, secret: SECRET }, now: new Date(iso) });

describe('supervision: reminders and escalation', () => {
  it('sends nothing while on time', async () => {
    expect(await sweep('2025-10-10T12:00:00+08:00')).toEqual({
      escalated: 0,
      claimed: 0,
      sent: 0,
      failed: 0,
    });
  });

  it('a yellow reminder to the department once 80 % is used; a refused delivery is retried, never doubled', async () => {
    mailbox.refuseNext(1);
    expect(await sweep('2025-10-11T09:00:00+08:00')).toEqual({
      escalated: 0,
      claimed: 1,
      sent: 0,
      failed: 1,
    });
    expect(await sweep('2025-10-11T09:05:00+08:00')).toEqual({
      escalated: 0,
      claimed: 0,
      sent: 1,
      failed: 0,
    });
    expect(await sweep('2025-10-11T09:10:00+08:00')).toEqual({
      escalated: 0,
      claimed: 0,
      sent: 0,
      failed: 0,
    });
    const [m] = await mailbox.waitFor(1);
    expect(m?.subject).toBe(`【督办提醒】事件 #${id} 一票多报：办理期限将于 2025-10-11 届满`);
    expect(m?.to && !Array.isArray(m.to) ? m.to.text : '').toBe('dept@tianhe.example.gov.cn');
    // Chinese first, then English; the summary rendered in each language from the incident's facts.
    expect(m?.text?.trimEnd()).toBe(
      [
        `【督办提醒】事件 #${id} 一票多报：办理期限将于 2025-10-11 届满`,
        '',
        `事件：#${id} 一票多报（高）`,
        '摘要：发票 0xab…03 第二次报销（一票多报），报销单位 天河区人民医院',
        '地区：广东省 440106（440106）',
        `责任单位：天河区人民医院（${ORGS.tianheHospital.address}）`,
        '办理期限：2025-10-11（工作日计算，含法定节假日与调休）',
        '当前环节：已交办，待签收',
        '',
        `查看：/incidents/${id}`,
        '',
        '—— English ——',
        `Supervision reminder: incident #${id} Duplicate reimbursement is due on 2025-10-11`,
        '',
        `Incident: #${id} Duplicate reimbursement (severity High)`,
        'Summary: Invoice 0xab…03 reimbursed a 2nd time, by 天河区人民医院',
        'Region: Guangdong 440106 (440106)',
        `Responsible department: 天河区人民医院 (${ORGS.tianheHospital.address})`,
        'Deadline: 2025-10-11 (counted in working days, public holidays and make-up working days included)',
        'Stage: Handed over, awaiting acknowledgement',
        '',
        `View: /incidents/${id}`,
      ].join('\n'),
    );
  });

  it('a red reminder (催办) when overdue, to the department and the regulator who handed it over', async () => {
    // Sun 12 Oct: overdue, but no working day has passed since: no escalation yet.
    expect(await sweep('2025-10-12T10:00:00+08:00')).toEqual({
      escalated: 0,
      claimed: 1,
      sent: 1,
      failed: 0,
    });
    const m = (await mailbox.waitFor(2))[1];
    expect(m?.subject).toBe(`【催办】事件 #${id} 一票多报：已超过办理期限（2025-10-11）`);
    expect(m?.to && !Array.isArray(m.to) ? m.to.text : '').toBe(
      'dept@tianhe.example.gov.cn, reg-tianhe@example.gov.cn',
    );
    expect(await sweep('2025-10-14T09:00:00+08:00')).toEqual({
      escalated: 0,
      claimed: 0,
      sent: 0,
      failed: 0,
    });
  });

  it('escalates to the city after 2 complete overdue working days, once, across a restart', async () => {
    // Mon 13 and Tue 14 complete → Wed 15: level 1, 440106 → 440100.
    expect(await sweep('2025-10-15T09:00:00+08:00')).toEqual({
      escalated: 1,
      claimed: 1,
      sent: 1,
      failed: 0,
    });
    const m = (await mailbox.waitFor(3))[2];
    expect(m?.subject).toBe(`【督办升级】事件 #${id} 一票多报：逾期未办结，已升级至广州市`);
    expect(m?.to && !Array.isArray(m.to) ? m.to.text : '').toBe(
      'reg-gz@example.gov.cn, dept@tianhe.example.gov.cn',
    );
    // A "restarted" worker: new pool, new mailer, same database.
    const again = createDb(db.url, { max: 2 });
    const mailer2 = createMailer({ smtpUrl: mailbox.url, from: 'x <x@example.gov.cn>' });
    try {
      expect(await sweep('2025-10-15T09:01:00+08:00', mailer2, again.db)).toEqual({
        escalated: 0,
        claimed: 0,
        sent: 0,
        failed: 0,
      });
    } finally {
      mailer2.close();
      await again.close();
    }
    const [inc] = await db.db.select().from(incidents).where(eq(incidents.id, id));
    expect(inc?.status).toBe('escalated');
    const gzQueue = await caseQueue(
      db.db,
      { kind: 'region', scope: { regionCode: 440100 }, direct: true },
      new Date('2025-10-15T09:00:00+08:00'),
      {
        escalatedToMe: true,
      },
    );
    expect(gzQueue.map((r) => [r.id, r.escalationLevel, r.state])).toEqual([[id, 1, 'red']]);
  });

  it('two sweeps at once escalate to the province exactly once', async () => {
    // Wed 15 and Thu 16 complete → Fri 17: 4 overdue working days, level 2 (440100 → 440000).
    const other = createDb(db.url, { max: 2 });
    try {
      const [a, b] = await Promise.all([
        sweep('2025-10-17T09:00:00+08:00'),
        sweep('2025-10-17T09:00:00+08:00', mailer, other.db),
      ]);
      expect((a?.escalated ?? 0) + (b?.escalated ?? 0)).toBe(1);
    } finally {
      await other.close();
    }
    const esc = await db.db
      .select()
      .from(supervisionEscalations)
      .where(eq(supervisionEscalations.incidentId, id));
    expect(esc.map((e) => [e.level, e.fromRegion, e.toRegion])).toEqual([
      [1, 440106, 440100],
      [2, 440100, 440000],
    ]);
    const msgs = await mailbox.waitFor(4);
    expect(msgs).toHaveLength(4);
    expect(msgs[3]?.subject).toBe(`【督办升级】事件 #${id} 一票多报：逾期未办结，已升级至广东省`);
    expect(hooks.map((h) => [h.event, h.valid])).toEqual([
      ['supervision.yellow', true],
      ['supervision.red', true],
      ['supervision.escalated', true],
      ['supervision.escalated', true],
    ]);
    expect(hooks[3]?.body).toMatchObject({ incidentId: id, escalationLevel: 2, supervisingRegion: 440000 });
  });
});
