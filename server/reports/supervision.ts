import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { startOfDay, nextDay } from '../../domain/calendar';
import { scopeCondition } from '../scope';

/** One line of the report's 督办 section: the cases handed over in the period, as they stand at `asOf`. */
export interface SupervisionLine {
  handedOver: number;
  /** Not closed yet. */
  open: number;
  /** Not closed and past the deadline (the clock standing while the regulator reviews). */
  overdue: number;
  /** Escalated at least once to the level above. */
  escalated: number;
  closedOnTime: number;
  closedLate: number;
  /** 按期办结率 = closedOnTime ÷ (closedOnTime + closedLate); null while none is closed. */
  rate: number | null;
}

export interface SupervisionReportFigures {
  /** The instant the states were read (the report's generation, at the latest the period's end). */
  asOf: string;
  total: SupervisionLine;
  /** Per responsible department (责任单位), most cases first; at most BY_DEPARTMENT_LIMIT rows. */
  byDepartment: (SupervisionLine & { org: string; name: string | null; regionCode: number })[];
  /** Departments with cases in all (the table may show fewer). */
  departments: number;
}

/** Rows of the per-department table: a report is read on paper; the page has the full drill. */
export const BY_DEPARTMENT_LIMIT = 15;

type Row = {
  handed: number;
  open: number;
  overdue: number;
  escalated: number;
  on_time: number;
  late: number;
};

function line(r: Row | undefined): SupervisionLine {
  const n = (v: number | undefined) => Number(v ?? 0);
  const onTime = n(r?.on_time);
  const late = n(r?.late);
  return {
    handedOver: n(r?.handed),
    open: n(r?.open),
    overdue: n(r?.overdue),
    escalated: n(r?.escalated),
    closedOnTime: onTime,
    closedLate: late,
    rate: onTime + late === 0 ? null : onTime / (onTime + late),
  };
}

/**
 * Each case's state at the instant `at`, from the instants the case keeps (a report describes its
 * period's end, not today, so /supervision's "now" rule of server/services/supervision-sql.ts
 * does not serve): closed by `at` when closed before it; otherwise open, and overdue when its
 * clock had reached the deadline — the clock stands at the answer while an answer given before
 * `at` still awaits review (or was accepted after `at`). The deadline is the case's current one.
 */
function stateAt(at: Date) {
  const t = sql`${at.toISOString()}::timestamptz`;
  const closed = sql`(sc.stage = 'closed' and sc.closed_at < ${t})`;
  const clock = sql`(case when sc.stage in ('answered', 'closed') and sc.answered_at < ${t} then sc.answered_at else ${t} end)`;
  return {
    open: sql`not ${closed}`,
    overdue: sql`(not ${closed} and ${clock} >= sc.due_at)`,
    escalated: sql`exists (select 1 from supervision_escalations se where se.incident_id = sc.incident_id and se.at < ${t})`,
    onTime: sql`(${closed} and not coalesce(sc.closed_late, false))`,
    late: sql`(${closed} and coalesce(sc.closed_late, false))`,
  };
}

/**
 * The report's 督办 figures for a region (0 = nation) and a period of Shanghai days: the cohort
 * of cases handed over in the period whose incident lies in the region, each in its state at
 * `asOf` = the period's end, or `now` while the period runs. A cohort rather than "closed in the
 * period", so every case is counted once and open + closed = handed over; and the same report
 * regenerated later says the same.
 */
export async function supervisionReportFigures(
  db: Db,
  o: { chainId: number; regionCode: number; from: string; to: string; now: Date },
): Promise<SupervisionReportFigures> {
  const end = new Date(startOfDay(nextDay(o.to)));
  const asOf = o.now < end ? o.now : end;
  const st = stateAt(asOf);
  const where: SQL = sql`incidents.chain_id = ${o.chainId}
    and ${scopeCondition({ regionCode: o.regionCode === 0 ? null : o.regionCode }, sql`incidents.region_code`)}
    and sc.handed_at >= ${new Date(startOfDay(o.from)).toISOString()}::timestamptz
    and sc.handed_at < ${asOf.toISOString()}::timestamptz`;
  const aggregates = sql`count(*)::int as handed,
    count(*) filter (where ${st.open})::int as open,
    count(*) filter (where ${st.overdue})::int as overdue,
    count(*) filter (where ${st.escalated})::int as escalated,
    count(*) filter (where ${st.onTime})::int as on_time,
    count(*) filter (where ${st.late})::int as late`;
  const [total, byDept] = await Promise.all([
    db.execute<Row>(sql`select ${aggregates}
      from supervision_cases sc join incidents on incidents.id = sc.incident_id where ${where}`),
    db.execute<Row & { org: string; name: string | null; region: number }>(sql`
      select sc.responsible_org as org, max(o.name) as name, max(sc.responsible_region) as region, ${aggregates}
      from supervision_cases sc join incidents on incidents.id = sc.incident_id
      left join orgs o on o.chain_id = incidents.chain_id and o.address = sc.responsible_org
      where ${where}
      group by sc.responsible_org
      order by count(*) desc, sc.responsible_org`),
  ]);
  return {
    asOf: asOf.toISOString(),
    total: line(total.rows[0]),
    byDepartment: byDept.rows.slice(0, BY_DEPARTMENT_LIMIT).map((r) => ({
      org: r.org,
      name: r.name,
      regionCode: Number(r.region),
      ...line(r),
    })),
    departments: byDept.rows.length,
  };
}
