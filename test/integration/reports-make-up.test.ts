import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportWork } from '../../cli/report-work';
import { indexerHealth } from '../../db/schema/chain';
import { adoptionDaily } from '../../db/schema/rollups';
import type { PdfPrinter } from '../../server/reports/pdf';
import { loadWorkerEnv } from '../../workers/env';
import { lastFireTime, makeUpRuns, REPORTS_QUEUE } from '../../workers/reports/report-jobs';
import { startReports } from '../../workers/reports/start-reports';
import { createTestDb, testQueuePrefix, type TestDb } from '../helpers/db';
import { waitFor } from '../helpers/wait';

/**
 * A missed scheduled run is made up when the workers start. The clock is pinned to the evening of
 * 1 December 2026: the 02:00 run that should have written November's reports never happened (the
 * workers were down), so the workers write them at start, once the chain is indexed past
 * November, and never a second time. PDFs come from a stand-in printer: what is tested is when
 * reports are written, not how they print (reports-output.test.ts prints real ones).
 */
const NOW = Date.parse('2026-12-01T21:00:00+08:00');
const CHAIN = 31337;

let db: TestDb;
let connection: Redis;
const prints: string[] = [];
const fakePrinter = (): Promise<PdfPrinter> =>
  Promise.resolve({
    print: (html) => {
      prints.push(html);
      return Promise.resolve(Buffer.from('%PDF-1.7 stand-in'));
    },
    connected: () => true,
    close: () => Promise.resolve(),
  });

async function indexedUntil(iso: string): Promise<void> {
  const at = new Date(iso);
  await db.db
    .insert(indexerHealth)
    .values({
      chainId: CHAIN,
      headBlock: 1000,
      headTime: at,
      indexedBlock: 1000,
      indexedTime: at,
      lagBlocks: 0,
      lagSeconds: 0,
    })
    .onConflictDoUpdate({ target: indexerHealth.chainId, set: { indexedTime: at, headTime: at } });
}

async function scheduled(): Promise<{ period: string; region_code: number; pdf: boolean }[]> {
  const { rows } = await db.pool.query<{ period: string; region_code: number; pdf: boolean }>(
    `select period, region_code, pdf is not null as pdf from reports where trigger = 'scheduled' order by period, region_code`,
  );
  return rows;
}

/** Waits until the jobs have completed on the queue under `prefix` (by default both make-ups). */
async function completed(prefix: string, jobIds = makeUpRuns(NOW).map((r) => r.jobId)): Promise<void> {
  const queue = new Queue(REPORTS_QUEUE, { connection, prefix });
  try {
    for (const id of jobIds) await waitFor(id, async () => (await queue.getJobState(id)) === 'completed');
  } finally {
    await queue.close();
  }
}

/** Starts the reports part of the workers as `work` does, with the pinned clock. */
function start(prefix: string) {
  const work = createReportWork({
    env: loadWorkerEnv({}),
    db: db.db,
    log: () => {},
    now: () => new Date(NOW),
    launchPrinter: fakePrinter,
  });
  return startReports({ connection, prefix, work, log: () => {}, now: () => NOW, retryMs: 200 });
}

beforeAll(async () => {
  db = await createTestDb();
  // Cases completed in Shenzhen in September and November: both periods have something to report.
  const day = {
    chainId: CHAIN,
    regionCode: 440300,
    casesTotal: 10,
    casesWindow: 4,
    casesWeb: 5,
    casesMobile: 1,
  };
  await db.db.insert(adoptionDaily).values([
    { ...day, day: '2026-09-15', jointCases: 0, durationMinutesTotal: 600 },
    { ...day, day: '2026-11-20', jointCases: 0, durationMinutesTotal: 600 },
  ]);
  connection = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: null,
  });
}, 120_000);

afterAll(async () => {
  await connection?.quit();
  await db?.drop();
});

describe('reports: a missed scheduled run is made up at start', () => {
  it('the last fire time of each schedule, in Asia/Shanghai', () => {
    expect(lastFireTime('month', NOW)).toBe(Date.parse('2026-12-01T02:00:00+08:00'));
    // Before 02:00 on the 1st the last run is a month earlier (it reported October).
    expect(lastFireTime('month', Date.parse('2026-12-01T01:59:00+08:00'))).toBe(
      Date.parse('2026-11-01T02:00:00+08:00'),
    );
    expect(lastFireTime('quarter', NOW)).toBe(Date.parse('2026-10-01T03:00:00+08:00'));
    expect(lastFireTime('month', Date.parse('2027-01-01T01:00:00+08:00'))).toBe(
      Date.parse('2026-12-01T02:00:00+08:00'),
    );
    expect(makeUpRuns(NOW)).toEqual([
      { kind: 'month', period: '2026-11', jobId: 'make-up-2026-11' },
      { kind: 'quarter', period: '2026-Q3', jobId: 'make-up-2026-Q3' },
    ]);
  });

  it('started at 21:00 on 1 December: November written once the chain is indexed past it; a second start writes none', async () => {
    // The workers come back with the chain indexed only to 30 November 23:00: no report yet.
    await indexedUntil('2026-11-30T23:00:00+08:00');
    const prefix = testQueuePrefix();
    const first = await start(prefix);
    try {
      // Q3 ended long before: its make-up job (queued after November's) writes it at once. By
      // then November's job has run before it (one job at a time, in order) and is waiting.
      await completed(prefix, ['make-up-2026-Q3']);
      expect((await scheduled()).map((r) => r.period)).toEqual(['2026-Q3', '2026-Q3', '2026-Q3']);
      // The backfill catches up: the next look finds November indexed and writes its reports.
      await indexedUntil('2026-12-01T20:59:00+08:00');
      await completed(prefix, ['make-up-2026-11']);
    } finally {
      await first.close();
    }
    const written = await scheduled();
    // Each period: the nation (0), Guangdong and Shenzhen, each once, with its PDF.
    expect(written).toEqual(
      ['2026-11', '2026-Q3'].flatMap((period) =>
        [0, 440000, 440300].map((region_code) => ({ period, region_code, pdf: true })),
      ),
    );
    expect(prints).toHaveLength(6);

    // A second start on the same Redis: the make-up jobs are known (completed), none is queued.
    const second = await start(prefix);
    await completed(prefix);
    await second.close();
    // A start on a Redis that lost everything: the jobs run, find the reports stored, write none.
    const empty = testQueuePrefix();
    const third = await start(empty);
    await completed(empty);
    await third.close();
    expect(await scheduled()).toEqual(written);
    expect(prints).toHaveLength(6);
  }, 120_000);
});
