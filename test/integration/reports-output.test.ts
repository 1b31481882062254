import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVINCES, regionName } from '../../domain/regions';
import { createReportDownloadHandler } from '../../server/reports/download-handler';
import type { ReportFigures } from '../../server/reports/figures-types';
import type { PdfPrinter } from '../../server/reports/pdf';
import { runScheduledReports } from '../../server/reports/scheduled';
import {
  createReportProcessor,
  previousPeriodKey,
  DELIVERY_SCHEDULE,
  REPORT_SCHEDULES,
  REPORTS_QUEUE,
  scheduleReportJobs,
  type ReportJobData,
} from '../../workers/reports/report-jobs';
import { ARTIFACTS } from '../helpers/browser';
import { testQueuePrefix } from '../helpers/db';
import { createServerFixture, TEST_ORIGIN, type ServerFixture } from '../helpers/web';
import { seedReportsWorld, type ReportsWorld } from './reports-scenario';

let f: ServerFixture;
let w: ReportsWorld;
const dir = mkdtempSync(join(tmpdir(), 'lj-report-out-'));
const ROOT = join(import.meta.dirname, '..', '..');

const HEADINGS = [
  '应用成效报告',
  '摘要',
  '一、核心指标',
  '二、政务服务应用',
  '三、数据共享',
  '四、监管与异常处置',
  '网办率',
  '全程网办事项占比',
];

beforeAll(async () => {
  f = await createServerFixture();
  w = await seedReportsWorld(f.db.url);
}, 900_000);

afterAll(async () => {
  await w?.close();
  await f?.close();
});

describe('reports: PDF download', () => {
  it('prints A4 pages whose text holds the Chinese headings and region names; audited; 404 out of scope', async () => {
    await f.addUser('leadership', w.province, 'gd-leader@example.gov.cn');
    await f.addUser('leadership', 330000, 'zj-leader@example.gov.cn');
    const gd = await f.signIn('gd-leader@example.gov.cn');
    const leader = await f.callerFromHeaders(new Headers({ cookie: gd.cookie }));
    const { id } = await leader.reports.generate({ regionCode: w.province, period: w.month });
    const handler = createReportDownloadHandler(f.deps);
    const get = (cookie: string, format: string) =>
      handler(
        new Request(`${TEST_ORIGIN}/api/reports/${id}?format=${format}`, { headers: { cookie } }),
        String(id),
      );

    const res = await get(gd.cookie, 'pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(ARTIFACTS, 'reports-province.pdf');
    execFileSync('mkdir', ['-p', ARTIFACTS]);
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const h of HEADINGS) expect(text, h).toContain(h);
    expect(text).toContain(regionName(w.province));
    expect(text).toContain(regionName(w.city)); // the top flows and peers name cities of the province
    expect(text).toMatch(/第 1 页 \/ 共 \d 页/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    // Page images for a human to look at (test-artifacts/reports-province-N.png).
    execFileSync('pdftoppm', ['-png', '-r', '60', file, join(ARTIFACTS, 'reports-province')]);

    // The second download hands out the stored bytes.
    const again = Buffer.from(await (await get(gd.cookie, 'pdf')).arrayBuffer());
    expect(again.equals(pdf)).toBe(true);
    const json = (await (await get(gd.cookie, 'json')).json()) as ReportFigures;
    expect(json.region.code).toBe(w.province);
    const html = await (await get(gd.cookie, 'html')).text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)\b/); // self-contained, nothing to fetch
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);

    const zj = await f.signIn('zj-leader@example.gov.cn');
    expect((await get(zj.cookie, 'pdf')).status).toBe(w.province === 330000 ? 200 : 404);
    expect((await get('', 'pdf')).status).toBe(401);
    const { rows } = await f.db.pool.query<{ n: string }>(
      `select count(*) as n from audit_log where action = 'reports.download' and target = $1`,
      [`report:${id}`],
    );
    expect(Number(rows[0]!.n)).toBe(w.province === 330000 ? 5 : 4);
  });
});

describe("reports: peers stay inside the report's region (security review item 9)", () => {
  it('a regulator of the province reads its report: its own cities compared, no other province named or figured in JSON, HTML or PDF', async () => {
    const province = Math.floor(w.province / 10000);
    const inside = (code: number) => Math.floor(code / 10000) === province;
    await f.addUser('leadership', w.province, 'peers-leader@example.gov.cn');
    const leader = await f.signIn('peers-leader@example.gov.cn');
    const regulator = await f.addUser('regulator', w.province, 'peers-regulator@example.gov.cn');
    const bearer = { authorization: `Bearer ${await f.tokenFor(regulator)}` };
    const handler = createReportDownloadHandler(f.deps);
    const others = PROVINCES.filter((p) => !inside(p.code));

    for (const lang of ['zh', 'en'] as const) {
      const gen = await f.trpcHttp(
        'mutation',
        'reports.generate',
        { regionCode: w.province, period: w.month, lang },
        { cookie: leader.cookie },
      );
      expect(gen.status).toBe(200);
      const { id } = gen.body.result!.data.json as { id: number };
      const got = await f.trpcHttp('query', 'reports.get', { id }, bearer);
      expect(got.status).toBe(200);
      const view = got.body.result!.data.json as { figures: ReportFigures; bodyHtml: string };
      const fig = view.figures;

      // The comparison lists the province's own cities (at least two, so it is not vacuous).
      expect(fig.comparison?.level).toBe('city');
      const rows = fig.comparison!.rows.map((r) => r.code);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.filter((c) => !inside(c))).toEqual([]);
      expect(rows).not.toContain(w.province);
      // Every region code anywhere in the figures lies inside the province.
      const codes: number[] = [];
      JSON.stringify(fig, (k, v: unknown) => {
        if ((k === 'code' || k === 'regionCode') && typeof v === 'number') codes.push(v);
        return v;
      });
      expect(codes.filter((c) => !inside(c))).toEqual([]);

      // The document's text names no other province. A top flow's counterpart organisation may
      // sit elsewhere (the flow is the province's own): its name is the one exception.
      const download = async (format: string) =>
        handler(
          new Request(`${TEST_ORIGIN}/api/reports/${id}?format=${format}`, { headers: bearer }),
          String(id),
        );
      const html = await (await download('html')).text();
      const texts: [string, string][] = [
        ['view', view.bodyHtml],
        ['html', html],
      ];
      if (lang === 'zh') {
        const file = join(dir, `peers-${id}.pdf`);
        writeFileSync(file, Buffer.from(await (await download('pdf')).arrayBuffer()));
        texts.push(['pdf', execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' })]);
      }
      const counterparts = fig.sharing.topFlows.flatMap((t) => [t.ownerName, t.accessorName]);
      const squeeze = (t: string) => t.replace(/\s+/g, '');
      for (const [where, raw] of texts) {
        // "Asia/Shanghai" is the time zone, not the province.
        let text = squeeze(raw).replaceAll('Asia/Shanghai', '');
        for (const n of counterparts) text = text.split(squeeze(n)).join('');
        const named = others.filter((p) => text.includes(squeeze(lang === 'zh' ? p.name : p.nameEn)));
        expect(
          named.map((p) => p.name),
          `${lang} ${where}`,
        ).toEqual([]);
        expect(text, `${lang} ${where}`).toContain(squeeze(regionName(w.city, lang)));
      }
    }
  });

  it('a city report compares nothing; the nation report still compares provinces', async () => {
    const nation = f.callerFor(await f.addUser('leadership', null));
    const city = await nation.reports.get({
      id: (await nation.reports.generate({ regionCode: w.city, period: w.month })).id,
    });
    expect(city.figures.comparison).toBeNull();
    expect(city.bodyHtml).not.toContain('对比</h3>');
    const all = await nation.reports.get({
      id: (await nation.reports.generate({ regionCode: 0, period: w.month })).id,
    });
    expect(all.figures.comparison?.level).toBe('province');
    expect(all.figures.comparison!.rows.map((r) => r.code)).toContain(w.province);
    expect(all.figures.comparison!.rows.every((r) => r.code % 10000 === 0)).toBe(true);
  });
});

describe('reports: CLI', () => {
  it('writes pdf, html and json and prints one JSON line each; nation is --region 0', () => {
    for (const format of ['pdf', 'html', 'json']) {
      const out = join(dir, `nation.${format}`);
      const r = spawnSync(
        'npx',
        [
          'tsx',
          'cli/main.ts',
          'report',
          '--region',
          '0',
          '--period',
          w.month,
          '--format',
          format,
          '--out',
          out,
        ],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: f.db.url, LOG_LEVEL: 'silent' } },
      );
      expect(r.status, r.stderr).toBe(0);
      const line = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
      expect(line).toEqual({ file: out, region: 0, period: w.month, format, bytes: statSync(out).size });
    }
    expect(readFileSync(join(dir, 'nation.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(dir, 'nation.html'), 'utf8')).toContain('全国');
    const json = JSON.parse(readFileSync(join(dir, 'nation.json'), 'utf8')) as ReportFigures;
    expect(json.region.level).toBe('nation');
    const text = execFileSync('pdftotext', [join(dir, 'nation.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('全国');
    expect(text).toContain('各省份对比');
  });

  it('fails with one line and a non-zero exit on a bad period or region', () => {
    for (const args of [
      ['--region', '440000', '--period', '2026-13'],
      ['--region', '440106', '--period', w.month],
    ]) {
      const r = spawnSync(
        'npx',
        ['tsx', 'cli/main.ts', 'report', ...args, '--format', 'json', '--out', join(dir, 'x.json')],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: f.db.url },
        },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^lianjian report: --(period|region)/);
    }
  });
});

describe('reports: scheduled generation (BullMQ)', () => {
  it('previous period of a fire time, in Asia/Shanghai', () => {
    // 2026-10-01 02:00 Shanghai is 2026-09-30 18:00 UTC: still reports September.
    expect(previousPeriodKey('month', Date.parse('2026-09-30T18:00:00Z'))).toBe('2026-09');
    expect(previousPeriodKey('month', Date.parse('2027-01-01T02:00:00+08:00'))).toBe('2026-12');
    expect(previousPeriodKey('quarter', Date.parse('2026-10-01T03:00:00+08:00'))).toBe('2026-Q3');
    expect(previousPeriodKey('quarter', Date.parse('2027-01-01T03:00:00+08:00'))).toBe('2026-Q4');
  });

  it('schedulers use cron patterns in Asia/Shanghai; a job stores every region once, with PDF, same figures', async () => {
    const connection = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: null,
    });
    const prefix = testQueuePrefix();
    const queue = new Queue<ReportJobData>(REPORTS_QUEUE, { connection, prefix });
    const events = new QueueEvents(REPORTS_QUEUE, { connection: connection.duplicate(), prefix });
    // A stand-in printer: this test is about which reports a job stores (every region once, each
    // with its PDF); printing through Chromium is the download test's above, and printing a PDF
    // for each of the world's regions took most of this test's time.
    const printed: string[] = [];
    const printer: PdfPrinter = {
      print: (html) => {
        printed.push(html);
        return Promise.resolve(Buffer.from('%PDF-1.7 stand-in'));
      },
      connected: () => true,
      close: () => Promise.resolve(),
    };
    const worker = new Worker<ReportJobData>(
      REPORTS_QUEUE,
      createReportProcessor({ run: (period) => runScheduledReports(f.db.db, { period, printer }) }),
      { connection, prefix },
    );
    try {
      await scheduleReportJobs(queue);
      await scheduleReportJobs(queue); // upsert: still two (and the delivery scheduler)
      const schedulers = await queue.getJobSchedulers();
      expect(
        schedulers
          .filter((s) => s.key !== DELIVERY_SCHEDULE.id)
          .map((s) => ({ key: s.key, pattern: s.pattern, tz: s.tz }))
          .sort((a, b) => a.key.localeCompare(b.key)),
      ).toEqual(REPORT_SCHEDULES.map((s) => ({ key: s.id, pattern: s.pattern, tz: 'Asia/Shanghai' })));
      expect(schedulers.find((s) => s.key === DELIVERY_SCHEDULE.id)?.every).toBe(DELIVERY_SCHEDULE.every);
      await events.waitUntilReady();
      const run = async (jobId: string) => {
        const job = await queue.add('reports-monthly', { kind: 'month', period: w.month }, { jobId });
        return (await job.waitUntilFinished(events, 300_000)) as { generated: number[]; skipped: number[] };
      };
      const first = await run('manual-1');
      expect(first.generated).toContain(0);
      expect(first.generated).toContain(w.province);
      expect(first.generated).toContain(w.city);
      const second = await run('manual-2');
      expect(second.generated).toEqual([]);
      expect(second.skipped.sort()).toEqual([...first.generated].sort());
      const { rows } = await f.db.pool.query<{ region_code: number; n: string; pdfs: string }>(
        `select region_code, count(*) as n, count(pdf) as pdfs from reports where trigger = 'scheduled' group by 1`,
      );
      expect(rows.every((r) => r.n === '1' && r.pdfs === '1')).toBe(true);
      expect(rows.length).toBe(first.generated.length);
      // One print per stored report, none for the second job's skipped regions.
      expect(printed).toHaveLength(first.generated.length);
      // A scheduled report and a manual one of the same region and period agree.
      const leader = f.callerFor(await f.addUser('leadership', null));
      const manual = await leader.reports.generate({ regionCode: w.province, period: w.month });
      const { rows: sha } = await f.db.pool.query<{ figures_sha256: string }>(
        `select figures_sha256 from reports where trigger = 'scheduled' and region_code = $1`,
        [w.province],
      );
      expect(sha[0]!.figures_sha256).toBe(manual.figuresSha256);
    } finally {
      await worker.close();
      await events.close();
      for (const s of REPORT_SCHEDULES) await queue.removeJobScheduler(s.id);
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
    }
  });
});
