import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../chain/simulate';
import { addDays } from '../../server/services/period';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { firstWholeMonth, lastDayOf, testClock } from '../helpers/clock';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';

export interface ReportsWorld {
  h: IndexerHarness;
  /** A calendar month wholly inside the simulated span, e.g. '2026-12'. */
  month: string;
  /** The first simulated day (Asia/Shanghai), YYYY-MM-DD. */
  firstDay: string;
  /** The province with most cases in that month, and its busiest city. */
  province: number;
  city: number;
  close(): Promise<void>;
}

/**
 * A simulated consortium chain (small scale, 62 days from the pinned test clock) indexed into
 * `databaseUrl` (the server fixture's database, so routers and handlers read it). The month reported
 * on is the first calendar month wholly inside the span; 62 days hold one whatever the start day
 * (a start on the 2nd of July needs 61), and the previous month is partly covered unless the span
 * starts on a 1st.
 */
const SPAN_DAYS = 62;

export async function seedReportsWorld(databaseUrl?: string): Promise<ReportsWorld> {
  const genesis = testClock();
  const h = await createIndexerHarness({ genesisTimestamp: genesis });
  const env = h.env(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  await simulate({
    conn: h.scenario.conn,
    deployment: h.scenario.deployment,
    days: SPAN_DAYS,
    // The world's "now" is the end of its span, so the simulator never shifts it towards today.
    now: genesis + SPAN_DAYS * 86400,
    seed: 'reports',
    scale: 'small',
    groundTruthFile: join(mkdtempSync(join(tmpdir(), 'lj-reports-')), 'ground-truth.json'),
  });
  const ctx = await createIndexerContext(env);
  await syncToHead(ctx);
  const db = ctx.dbh;
  const { rows } = await db.pool.query<{ first: string }>('select min(day) as first from adoption_daily');
  const first = rows[0]!.first;
  const month = firstWholeMonth(first);
  if (lastDayOf(month) > addDays(first, SPAN_DAYS - 1))
    throw new Error(`span too short: ${first} + ${SPAN_DAYS} days`);
  const top = await db.pool.query<{ province: number; city: number }>(
    `select (region_code / 10000) * 10000 as province, (region_code / 100) * 100 as city
       from cases where (block_time at time zone 'Asia/Shanghai')::date between $1::date and ($1::date + interval '1 month' - interval '1 day')
        and region_code / 10000 not in (11, 12, 31, 50)
      group by 1, 2 order by count(*) desc limit 1`,
    [`${month}-01`],
  );
  await db.close();
  return {
    h,
    month,
    firstDay: first,
    province: Number(top.rows[0]!.province),
    city: Number(top.rows[0]!.city),
    close: () => h.close(),
  };
}
