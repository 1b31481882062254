import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { dayOf, nextDay, startOfDay } from '../../domain/calendar';
import { provinceOf } from '../../domain/regions';
import { belowProvince, regionKey, scopeCondition, type RegionKeyLevel, type Scope } from '../scope';
import type { CaseViewer } from './supervision-access';
import { stateCondition } from './supervision-sql';

/**
 * The figures of /supervision (and the adoption report's 督办 section), over the cases the viewer
 * may see, at `now`:
 *   open        not closed;   overdue: open and red (past the deadline, the clock standing while reviewed)
 *   onTime      closed, the accepted answer within the deadline;   late: closed after it
 *   rate        按期办结率 = onTime / (onTime + late), null while nothing is closed
 *   medianHours median of (closed − handed over) in hours over closed cases, null when none
 */
export interface SupervisionFigures {
  open: number;
  overdue: number;
  onTime: number;
  late: number;
  rate: number | null;
  medianHours: number | null;
}

export interface RegionFigures extends SupervisionFigures {
  /** The incident's city (xxxx00; 0 = no region): districts roll up to their city. */
  regionCode: number;
}

export interface DepartmentFigures extends SupervisionFigures {
  org: string;
  name: string | null;
}

export interface WeekPoint {
  /** Monday (Asia/Shanghai) of the week. */
  week: string;
  handedOver: number;
  onTime: number;
  late: number;
}

type Row = {
  key: string | number | null;
  name?: string | null;
  open: number;
  overdue: number;
  on_time: number;
  late: number;
  median_hours: number | null;
};

const figures = (r: Row): SupervisionFigures => ({
  open: Number(r.open),
  overdue: Number(r.overdue),
  onTime: Number(r.on_time),
  late: Number(r.late),
  rate:
    Number(r.on_time) + Number(r.late) === 0
      ? null
      : Number(r.on_time) / (Number(r.on_time) + Number(r.late)),
  medianHours: r.median_hours === null ? null : Math.round(Number(r.median_hours) * 10) / 10,
});

function aggregates(now: Date): SQL {
  return sql`
    count(*) filter (where ${stateCondition('open', now)})::int as open,
    count(*) filter (where ${stateCondition('red', now)})::int as overdue,
    count(*) filter (where ${stateCondition('closed', now)})::int as on_time,
    count(*) filter (where ${stateCondition('late', now)})::int as late,
    percentile_cont(0.5) within group (order by extract(epoch from sc.closed_at - sc.handed_at) / 3600)
      filter (where sc.stage = 'closed') as median_hours`;
}

/** The viewer's restriction over `supervision_cases sc join incidents` (raw SQL, `sc` aliased). */
function viewerSql(v: CaseViewer): SQL {
  return v.kind === 'department'
    ? sql`sc.responsible_org = ${v.org}`
    : scopeCondition(v.scope, sql`incidents.region_code`);
}

function visible(viewer: CaseViewer): SQL {
  return sql`supervision_cases sc join incidents on incidents.id = sc.incident_id where ${viewerSql(viewer)}`;
}

export async function supervisionStats(db: Db, viewer: CaseViewer, now: Date, weeks = 12) {
  const [total, byRegion, byDept, trend] = await Promise.all([
    db.execute<Row>(sql`select null as key, ${aggregates(now)} from ${visible(viewer)}`),
    db.execute<Row>(sql`
      select (incidents.region_code / 100) * 100 as key, ${aggregates(now)}
      from ${visible(viewer)} group by 1 order by 1`),
    db.execute<Row>(sql`
      select sc.responsible_org as key, max(o.name) as name, ${aggregates(now)}
      from supervision_cases sc join incidents on incidents.id = sc.incident_id
      left join orgs o on o.chain_id = incidents.chain_id and o.address = sc.responsible_org
      where ${viewerSql(viewer)}
      group by 1 order by 1`),
    weeklyTrend(db, viewer, now, weeks),
  ]);
  const t = total.rows[0];
  return {
    total: t
      ? figures(t)
      : figures({ key: null, open: 0, overdue: 0, on_time: 0, late: 0, median_hours: null }),
    byRegion: byRegion.rows.map((r): RegionFigures => ({ regionCode: Number(r.key), ...figures(r) })),
    byDepartment: byDept.rows.map((r): DepartmentFigures => ({
      org: String(r.key),
      name: r.name ?? null,
      ...figures(r),
    })),
    trend,
    /** The week holding `now` (its Monday), not over yet: the trend draws it as to date. */
    partialWeek: mondayOf(dayOf(now.getTime())),
  };
}

export type SupervisionStats = Awaited<ReturnType<typeof supervisionStats>>;

/** Monday (YYYY-MM-DD, Asia/Shanghai) of the week of `day`. */
export function mondayOf(day: string): string {
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  let d = day;
  for (let i = 0; i < dow; i += 1)
    d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return d;
}

/** Hand-overs and closures per week (Asia/Shanghai, Monday first), the last `weeks` weeks up to `now`. */
async function weeklyTrend(db: Db, viewer: CaseViewer, now: Date, weeks: number): Promise<WeekPoint[]> {
  const lastMonday = mondayOf(dayOf(now.getTime()));
  const mondays: string[] = [lastMonday];
  while (mondays.length < weeks) {
    const first = mondays[0] ?? lastMonday;
    mondays.unshift(new Date(Date.parse(`${first}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10));
  }
  const from = new Date(startOfDay(mondays[0] ?? lastMonday));
  const to = new Date(startOfDay(nextDay(dayOf(now.getTime()))));
  const wk = (col: SQL) =>
    sql`to_char(date_trunc('week', ${col} at time zone 'Asia/Shanghai'), 'YYYY-MM-DD')`;
  const res = await db.execute<{ week: string; kind: string; n: number }>(sql`
    select ${wk(sql`sc.handed_at`)} as week, 'handed' as kind, count(*)::int as n
      from ${visible(viewer)} and sc.handed_at >= ${from.toISOString()}::timestamptz and sc.handed_at < ${to.toISOString()}::timestamptz group by 1
    union all
    select ${wk(sql`sc.closed_at`)}, case when sc.closed_late then 'late' else 'ontime' end, count(*)::int
      from ${visible(viewer)} and sc.stage = 'closed' and sc.closed_at >= ${from.toISOString()}::timestamptz and sc.closed_at < ${to.toISOString()}::timestamptz group by 1, 2`);
  const points = new Map(mondays.map((w) => [w, { week: w, handedOver: 0, onTime: 0, late: 0 }]));
  for (const r of res.rows) {
    const p = points.get(r.week);
    if (!p) continue;
    if (r.kind === 'handed') p.handedOver += Number(r.n);
    else if (r.kind === 'late') p.late += Number(r.n);
    else p.onTime += Number(r.n);
  }
  return [...points.values()];
}

/** Incidents by region and rule and per week and rule, as /supervision draws them. */
export interface IncidentBreakdown {
  /** The level the map's regions are at (see incidentBreakdown). */
  level: RegionKeyLevel;
  province: number | null;
  region: number | null;
  byRegion: { region: number; rule: string; n: number }[];
  /** Mondays (Asia/Shanghai) of the trend's weeks, oldest first. */
  weeks: string[];
  byWeek: { week: string; rule: string; n: number }[];
  /** The week holding `now`, still running: the chart draws it as to date. Null when there is no trend. */
  partialWeek: string | null;
}

/**
 * Incidents (all, supervised or not) in the viewer's region scope: counts by region and rule
 * (for the map) and per week and rule (for the trend), by the evidence's time. The map opens at
 * the viewer's own region, as /adoption does: nation-wide by province, a provincial viewer by the
 * cities of their province (a municipality's districts), a city's viewer by the region codes the
 * incidents carry (its districts, where the data has them; the page draws no map of one tile).
 */
export async function incidentBreakdown(
  db: Db,
  scope: Scope,
  now: Date,
  weeks = 12,
): Promise<IncidentBreakdown> {
  const level: RegionKeyLevel =
    scope.regionCode === null ? 'province' : belowProvince(scope) ? 'district' : 'city';
  const scopeSql = scopeCondition(scope, sql`incidents.region_code`);
  const lastMonday = mondayOf(dayOf(now.getTime()));
  const first = new Date(Date.parse(`${lastMonday}T00:00:00Z`) - (weeks - 1) * 7 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const [byRegion, byWeek] = await Promise.all([
    db.execute<{ region: number; rule: string; n: number }>(sql`
      select ${regionKey(sql`incidents.region_code`, level)} as region, incidents.rule, count(*)::int as n
      from incidents where ${scopeSql} group by 1, 2 order by 1, 2`),
    db.execute<{ week: string; rule: string; n: number }>(sql`
      select to_char(date_trunc('week', incidents.occurred_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as week,
        incidents.rule, count(*)::int as n
      from incidents where ${scopeSql}
        and incidents.occurred_at >= ${new Date(startOfDay(first)).toISOString()}::timestamptz
        and incidents.occurred_at < ${new Date(startOfDay(nextDay(dayOf(now.getTime())))).toISOString()}::timestamptz
      group by 1, 2 order by 1, 2`),
  ]);
  const weeksList: string[] = [];
  for (let i = 0; i < weeks; i += 1)
    weeksList.push(
      new Date(Date.parse(`${first}T00:00:00Z`) + i * 7 * 86_400_000).toISOString().slice(0, 10),
    );
  return {
    level,
    province: scope.regionCode === null ? null : provinceOf(scope.regionCode),
    region: scope.regionCode,
    byRegion: byRegion.rows.map((r) => ({ region: Number(r.region), rule: r.rule, n: Number(r.n) })),
    weeks: weeksList,
    byWeek: byWeek.rows.map((r) => ({ week: r.week, rule: r.rule, n: Number(r.n) })),
    partialWeek: lastMonday,
  };
}
