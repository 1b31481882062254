import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetsCommand } from '../../cli/commands/targets';
import { DEPARTMENT_KINDS } from '../../domain/codes';
import { siloIndex } from '../../domain/silo';
import { addDaysTo, classifyProgress, LEVEL_WINDOW_DAYS, paceSpan } from '../../domain/targets';
import { createPdfPrinter, type PdfPrinter } from '../../server/reports/pdf';
import { deliverDue, enqueueDeliveries } from '../../server/reports/delivery';
import { generateAndStore } from '../../server/reports/store';
import { CLI_ACTOR } from '../../server/audit';
import { createMailer } from '../../workers/mail/mailer';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp';
import { createServerFixture, type ServerFixture } from '../helpers/web';
import { seedReportsWorld, type ReportsWorld } from './reports-scenario';

/**
 * Leadership figures of a simulated, indexed chain against plain SQL over the typed tables
 * (cases, accesses, grants, datasets, orgs); the services read rollups and projections.
 */
let f: ServerFixture;
let w: ReportsWorld;
let asOf: string;
let dataFrom: string;
const dir = mkdtempSync(join(tmpdir(), 'lj-leadership-'));

async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await f.db.pool.query(text, params);
  return rows[0] as T;
}
const shDay = (col: string) => `(${col} at time zone 'Asia/Shanghai')::date`;
function inRegion(col: string, code: number): string {
  const span = code % 10000 === 0 ? 9999 : code % 100 === 0 ? 99 : 0;
  return `${col} between ${code} and ${code + span}`;
}
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000) + 1;

async function loadTargets(csv: string) {
  const file = join(dir, `targets-${Math.random()}.csv`);
  writeFileSync(file, csv);
  return targetsCommand.run({
    env: w.h.env({ DATABASE_URL: f.db.url }),
    values: {},
    positionals: ['load', file],
  });
}

beforeAll(async () => {
  f = await createServerFixture();
  w = await seedReportsWorld(f.db.url);
  const d = await one<{ first: string; last: string }>(
    'select min(day) as first, max(day) as last from events_daily',
  );
  dataFrom = d.first;
  asOf = d.last;
}, 900_000);

afterAll(async () => {
  await w?.close();
  await f?.close();
});

describe('targets: loaded from CSV, progress equals SQL over the cases', () => {
  it('targets load refuses a bad file whole and loads a good one', async () => {
    await expect(
      loadTargets(`region,metric,value,date\n${w.province},网办率,0.9,2026-13-01\n`),
    ).rejects.toThrow(/line 2: date/);
    expect(await one<{ n: string }>('select count(*) as n from adoption_targets')).toEqual({ n: '0' });
    const year = Number(asOf.slice(0, 4));
    const r = await loadTargets(
      [
        'region,metric,value,date',
        `${w.province},网办率,99%,${year + 1}-12-31`,
        `${w.province},online_share,10%,${year + 1}-12-31`, // the later line replaces the earlier
        `${w.city},联办,1000000,${year}-12-31`,
        `${w.province},sharing_volume,1,${year}-12-31`,
      ].join('\n'),
    );
    expect(r).toEqual({ upserted: 4 });
    expect(await one<{ n: string }>('select count(*) as n from adoption_targets')).toEqual({ n: '3' });
  });

  it('the progress of each target is its SQL value, classified at the latest indexed day', async () => {
    const leader = f.callerFor(await f.addUser('leadership', w.province));
    const p = await leader.targets.progress();
    expect(p.asOf).toBe(asOf);
    expect(p.rows.map((r) => [r.regionCode, r.metric])).toEqual([
      [w.province, 'online_share'],
      [w.province, 'sharing_volume'],
      [w.city, 'joint_cases'],
    ]);
    const dataDays = daysBetween(dataFrom, asOf);

    // 网办率: share of web + mobile cases over the last 30 days, pace against 30 days `paceDays` earlier.
    const share = async (a: string, b: string) => {
      const c = await one<{ total: string; online: string }>(
        `select count(*) as total, count(*) filter (where channel in (2, 3)) as online from cases
          where ${shDay('block_time')} between $1 and $2 and ${inRegion('region_code', w.province)}`,
        [a, b],
      );
      return Number(c.total) > 0 ? Number(c.online) / Number(c.total) : null;
    };
    const online = p.rows.find((r) => r.metric === 'online_share')!;
    const span = paceSpan('level', dataDays);
    expect(online.paceDays).toBe(span);
    const now = await share(addDaysTo(asOf, -(LEVEL_WINDOW_DAYS - 1)), asOf);
    expect(online.current).toBeCloseTo(now!, 12);
    const then =
      span === null
        ? null
        : await share(addDaysTo(asOf, -span - LEVEL_WINDOW_DAYS + 1), addDaysTo(asOf, -span));
    const expected = classifyProgress({
      metric: 'online_share',
      target: 0.1,
      targetDate: online.targetDate,
      asOf,
      current: now,
      paceBase: then,
      paceDays: span,
    });
    expect(online).toMatchObject({
      value: 0.1,
      status: expected.status,
      projectedDate: expected.projectedDate,
    });
    expect(online.status).toBe('reached'); // a 10% target is met by any simulated province

    // 联办: joint cases of the city since 1 January of the target year; pace over the data's days.
    const joint = p.rows.find((r) => r.metric === 'joint_cases')!;
    const jointSql = async (a: string) =>
      Number(
        (
          await one<{ n: string }>(
            `select count(*) as n from cases where orgs_involved >= 2 and ${inRegion('region_code', w.city)}
              and ${shDay('block_time')} between $1 and $2`,
            [a, asOf],
          )
        ).n,
      );
    const cspan = paceSpan('cumulative', dataDays)!;
    expect(joint.current).toBe(await jointSql(`${asOf.slice(0, 4)}-01-01`));
    const jc = classifyProgress({
      metric: 'joint_cases',
      target: 1_000_000,
      targetDate: joint.targetDate,
      asOf,
      current: joint.current,
      paceBase: await jointSql(addDaysTo(asOf, -(cspan - 1))),
      paceDays: cspan,
    });
    expect(joint).toMatchObject({ status: 'behind', projectedDate: jc.projectedDate, gap: jc.gap });
    expect(p.rows.find((r) => r.metric === 'sharing_volume')).toMatchObject({ status: 'reached', rank: 1 });
  });

  it('another region sees none; a scoped admin sets targets only inside its region', async () => {
    const other = w.province === 330000 ? 440000 : 330000;
    const outsider = f.callerFor(await f.addUser('leadership', other));
    expect((await outsider.targets.progress()).rows).toEqual([]);
    const admin = f.callerFor(await f.addUser('admin', w.province));
    await admin.targets.set({
      regionCode: w.city,
      metric: 'active_orgs',
      value: 5,
      targetDate: '2030-01-01',
    });
    const refused = await admin.targets
      .set({ regionCode: other, metric: 'active_orgs', value: 5, targetDate: '2030-01-01' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('FORBIDDEN');
    const bad = await admin.targets
      .set({ regionCode: w.city, metric: 'online_share', value: 85, targetDate: '2030-01-01' })
      .catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe('BAD_REQUEST');
  });
});

describe('silo index: figures equal SQL over the typed tables', () => {
  it('per department of the province: datasets unused, grants given and received, provider', async () => {
    const leader = f.callerFor(await f.addUser('leadership', null));
    const s = await leader.silo.index({ province: w.province, top: 100 });
    const { rows } = await f.db.pool.query<{
      address: string;
      datasets: string;
      unused: string;
      given: string;
      received: string;
      used: boolean;
    }>(
      `select o.address,
              (select count(*) from datasets d where d.owner = o.address) as datasets,
              (select count(*) from datasets d where d.owner = o.address and not exists (
                 select 1 from accesses a join grants g on g.grant_id = a.grant_id
                  where g.dataset_id = d.dataset_id and g.grantee <> d.owner)) as unused,
              (select count(*) from grants g where g.grantor = o.address and g.grantee <> o.address) as given,
              (select count(*) from grants g where g.grantee = o.address and g.grantor <> o.address) as received,
              exists (select 1 from accesses a where a.owner = o.address and a.accessor <> o.address) as used
         from orgs o
        where o.active and o.kind in (${DEPARTMENT_KINDS.join(',')}) and ${inRegion('o.region_code', w.province)}`,
    );
    expect(rows.length).toBeGreaterThan(3);
    const facts = new Map(
      rows.map((r) => {
        const x = {
          datasets: Number(r.datasets),
          datasetsUnused: Number(r.unused),
          grantsGiven: Number(r.given),
          grantsReceived: Number(r.received),
        };
        const provides = x.grantsGiven > 0 || r.used;
        return [
          r.address,
          { ...x, provides, consumeOnly: x.grantsReceived > 0 && !provides, index: siloIndex(x) },
        ];
      }),
    );
    expect(s.total.departments).toBe(rows.length);
    expect(s.departments.length).toBe(Math.min(100, rows.length));
    for (const d of s.departments) {
      const e = facts.get(d.address)!;
      expect({ ...d, index: Math.round(d.index * 1e9) }, d.address).toMatchObject({
        datasets: e.datasets,
        datasetsUnused: e.datasetsUnused,
        grantsGiven: e.grantsGiven,
        grantsReceived: e.grantsReceived,
        provides: e.provides,
        consumesOnly: e.consumeOnly,
        index: Math.round(e.index * 1e9),
      });
    }
    // Most closed first.
    const idx = s.departments.map((d) => d.index);
    expect(idx).toEqual([...idx].sort((a, b) => b - a));
    const all = [...facts.values()];
    expect(s.total.providers).toBe(all.filter((x) => x.provides).length);
    expect(s.total.consumeOnly).toBe(all.filter((x) => x.consumeOnly).length);
    expect(s.total.datasetsUnused).toBe(all.reduce((a, x) => a + x.datasetsUnused, 0));
    expect(s.total.index).toBeCloseTo(all.reduce((a, x) => a + x.index, 0) / all.length, 9);
    expect(s.kinds.reduce((a, k) => a + k.departments, 0)).toBe(rows.length);
  });

  it('the monthly trend counts the departments that provided data in each month', async () => {
    const leader = f.callerFor(await f.addUser('leadership', w.province));
    const s = await leader.silo.index({ top: 5 });
    const month = w.month;
    const e = await one<{ departments: string; providers: string }>(
      `select count(*) as departments,
              count(*) filter (where exists (
                select 1 from accesses a where a.owner = o.address and a.accessor <> o.address
                   and to_char(a.block_time at time zone 'Asia/Shanghai', 'YYYY-MM') = $1)
                 or exists (select 1 from grants g where g.grantor = o.address and g.grantee <> o.address
                   and to_char(g.granted_at at time zone 'Asia/Shanghai', 'YYYY-MM') = $1)) as providers
         from orgs o
        where o.kind in (${DEPARTMENT_KINDS.join(',')}) and ${inRegion('o.region_code', w.province)}
          and to_char(o.registered_at at time zone 'Asia/Shanghai', 'YYYY-MM') <= $1`,
      [month],
    );
    const got = s.trend.filter((t) => t.month === month);
    expect(got).toEqual([
      { month, key: w.province, departments: Number(e.departments), providers: Number(e.providers) },
    ]);
  });
});

describe('report delivery: subscribers receive the PDF in a real mailbox; a refusal is retried', () => {
  let box: TestMailbox;
  let printer: PdfPrinter;
  beforeAll(async () => {
    box = await startTestMailbox();
    printer = await createPdfPrinter();
  }, 120_000);
  afterAll(async () => {
    await printer?.close();
    await box?.close();
  });

  it('subscribes in scope, e-mails the monthly PDF in each language, retries a refused one', async () => {
    const zhUser = await f.addUser('leadership', w.province, 'zh-leader@example.gov.cn');
    const enUser = await f.addUser('regulator', w.province, 'en-reader@example.gov.cn');
    const zh = f.callerFor(zhUser);
    const en = f.callerFor(enUser);
    await zh.subscriptions.subscribe({ regionCode: w.province, kind: 'month' });
    await en.subscriptions.subscribe({ regionCode: w.city, kind: 'month', lang: 'en' });
    await zh.subscriptions.subscribe({ regionCode: w.province, kind: 'quarter' }); // no quarterly report: nothing sent
    const other = w.province === 330000 ? 440000 : 330000;
    const refused = await zh.subscriptions
      .subscribe({ regionCode: other, kind: 'month' })
      .catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe('FORBIDDEN');
    expect((await zh.subscriptions.list()).map((s) => [s.regionCode, s.kind, s.email])).toEqual([
      [w.province, 'month', 'zh-leader@example.gov.cn'],
      [w.province, 'quarter', 'zh-leader@example.gov.cn'],
    ]);

    // What the scheduled job does on the 1st: store the month's reports (two regions here, with
    // PDF), queue a delivery per subscription, send what is due. The clock is pinned.
    for (const regionCode of [w.province, w.city])
      await generateAndStore(f.db.db, {
        regionCode,
        period: w.month,
        trigger: 'scheduled',
        actor: CLI_ACTOR,
        printer,
      });
    const t0 = new Date(`${w.month}-28T18:00:00Z`);
    expect(await enqueueDeliveries(f.db.db, { period: w.month, now: t0 })).toBe(2);
    expect(await enqueueDeliveries(f.db.db, { period: w.month, now: t0 })).toBe(0); // a retried job
    const mailer = createMailer({ smtpUrl: box.url, from: '链监 <lianjian@example.test>' });
    try {
      box.refuseNext(1);
      const first = await deliverDue(f.db.db, { sender: mailer, printer, now: t0 });
      expect([first.sent.length, first.retrying.length, first.failed.length]).toEqual([1, 1, 0]);
      const shown = await zh.subscriptions.deliveries({});
      const retrying = shown.find((d) => d.id === first.retrying[0])!;
      expect(retrying).toMatchObject({ status: 'pending', attempts: 1 });
      expect(retrying.lastError).toMatch(/451|try again/);
      expect(retrying.nextAttemptAt.getTime()).toBe(t0.getTime() + 60_000);
      // Not yet due a second later; due after the first retry delay.
      expect(
        (await deliverDue(f.db.db, { sender: mailer, printer, now: new Date(t0.getTime() + 1_000) })).sent,
      ).toEqual([]);
      const second = await deliverDue(f.db.db, {
        sender: mailer,
        printer,
        now: new Date(t0.getTime() + 61_000),
      });
      expect(second.sent).toEqual(first.retrying);
    } finally {
      mailer.close();
    }
    const mails = await box.waitFor(2);
    expect(box.messages.length).toBe(2);
    const byTo = new Map(mails.map((m) => [m.to && !Array.isArray(m.to) ? m.to.text : '', m]));
    const zhMail = byTo.get('zh-leader@example.gov.cn')!;
    const enMail = byTo.get('en-reader@example.gov.cn')!;
    expect(zhMail.subject).toMatch(/应用成效报告$/);
    expect(enMail.subject).toMatch(/adoption report/);
    for (const m of [zhMail, enMail]) {
      const a = m.attachments[0]!;
      expect(a.contentType).toBe('application/pdf');
      expect(a.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(a.content.length).toBeGreaterThan(10_000);
    }
    expect(zhMail.attachments[0]!.filename).toBe(`lianjian-${w.province}-${w.month}-zh.pdf`);
    expect(enMail.attachments[0]!.filename).toBe(`lianjian-${w.city}-${w.month}-en.pdf`);
    // The Chinese mail carries the stored PDF byte for byte.
    const stored = await one<{ pdf: Buffer }>(
      `select pdf from reports where region_code = $1 and period = $2 and trigger = 'scheduled'`,
      [w.province, w.month],
    );
    expect(Buffer.compare(zhMail.attachments[0]!.content, stored.pdf)).toBe(0);
    const after = await en.subscriptions.deliveries({});
    expect(after.map((d) => [d.regionCode, d.status]).sort()).toEqual(
      [
        [w.province, 'sent'],
        [w.city, 'sent'],
      ].sort(),
    );
  }, 300_000);

  it('the report states targets, the silo index and its definitions, in Chinese and in English', async () => {
    const leader = f.callerFor(await f.addUser('leadership', null));
    const { id } = await leader.reports.generate({ regionCode: w.province, period: w.month });
    const zhView = await leader.reports.get({ id });
    expect(zhView.figures.leadership?.targets.map((t) => t.metric).sort()).toEqual([
      'active_orgs',
      'joint_cases',
      'online_share',
      'sharing_volume',
    ]);
    expect(zhView.bodyHtml).toContain('五、目标进度与信息孤岛');
    expect(zhView.bodyHtml).toContain('孤岛指数 = 100');
    expect(zhView.bodyHtml).toContain('网办率 = （网页办件 + 移动端办件）÷ 办件总量');
    const enId = (await leader.reports.generate({ regionCode: w.province, period: w.month, lang: 'en' })).id;
    const enView = await leader.reports.get({ id: enId });
    expect(enView.figuresSha256).toBe(zhView.figuresSha256);
    expect(enView.bodyHtml).toContain('5. Targets and the data-silo index');
    expect(enView.bodyHtml).toContain('Online-service share = (web cases + mobile cases)');
    expect(enView.bodyHtml).toContain('<h2>Summary</h2>');
    expect(enView.bodyHtml).not.toContain('摘要');
  });
});
