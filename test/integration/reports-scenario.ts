import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../chain/simulate';
import { addDays } from '../../server/services/period';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/sync';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';

export interface ReportsWorld {
  h: IndexerHarness;
  /** A calendar month wholly inside the simulated span, e.g. '2026-12'. */
  month: string;
  /** The province with most cases in that month, and its busiest city. */
  province: number;
  city: number;
  close(): Promise<void>;
}

const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/**
 * A simulated consortium chain (small scale, 60 days) indexed into `databaseUrl` (the server
 * fixture's database, so routers and handlers read it). The month reported on is the first
 * calendar month wholly inside the span; the previous month is then partly covered.
 */
export async function seedReportsWorld(databaseUrl?: string): Promise<ReportsWorld> {
  const h = await createIndexerHarness();
  const env = h.env(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  await simulate({
    conn: h.scenario.conn,
    deployment: h.scenario.deployment,
    days: 60,
    seed: 'reports',
    scale: 'small',
    groundTruthFile: join(mkdtempSync(join(tmpdir(), 'lj-reports-')), 'ground-truth.json'),
  });
  const ctx = await createIndexerContext(env);
  await syncToHead(ctx);
  const db = ctx.dbh;
  const { rows } = await db.pool.query<{ first: string }>('select min(day) as first from adoption_daily');
  const first = rows[0]!.first;
  // The month after the first day's month starts within 31 days of it, so it ends inside 60 days.
  const month = nextMonth(first.slice(0, 7));
  if (addDays(`${nextMonth(month)}-01`, -1) > addDays(first, 59)) throw new Error('span too short');
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
    province: Number(top.rows[0]!.province),
    city: Number(top.rows[0]!.city),
    close: () => h.close(),
  };
}
