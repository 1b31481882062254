import type { Db } from '../../db/client';
import type { ProgressStatus, TargetMetric } from '../../domain/targets';
import { siloIndexFor } from '../services/silo';
import { targetsProgress } from '../targets/progress';
import type { ReportPeriod } from './period';
import type { ReportRegion } from './region';

/** Targets and the data-silo index of a report's region (stored in reports.figures.leadership). */
export interface LeadershipFigures {
  /** The day progress was measured: the period's end, or the latest indexed day before it. */
  asOf: string | null;
  targets: {
    regionCode: number;
    metric: TargetMetric;
    value: number;
    targetDate: string;
    current: number | null;
    gap: number | null;
    ratio: number | null;
    status: ProgressStatus;
    projectedDate: string | null;
  }[];
  silo: {
    index: number | null;
    departments: number;
    providers: number;
    providerShare: number | null;
    consumeOnly: number;
    datasets: number;
    datasetsUnused: number;
    grantsGiven: number;
    grantsReceived: number;
    departmentsMostClosed: {
      address: string;
      name: string;
      kind: number;
      regionCode: number;
      index: number;
    }[];
    kinds: { kind: number; index: number | null; departments: number; providerShare: number | null }[];
  };
}

export async function leadershipFigures(
  db: Db,
  o: { chainId: number; region: ReportRegion; period: ReportPeriod },
): Promise<LeadershipFigures> {
  const scope = { regionCode: o.region.level === 'nation' ? null : o.region.code };
  const [t, s] = await Promise.all([
    targetsProgress(db, scope, { asOf: o.period.to, chainId: o.chainId }),
    siloIndexFor(db, scope, { chainId: o.chainId, top: 10 }),
  ]);
  return {
    asOf: t.asOf,
    targets: t.rows.map((r) => ({
      regionCode: r.regionCode,
      metric: r.metric,
      value: r.value,
      targetDate: r.targetDate,
      current: r.current,
      gap: r.gap,
      ratio: r.ratio,
      status: r.status,
      projectedDate: r.projectedDate,
    })),
    silo: {
      index: s.total.index,
      departments: s.total.departments,
      providers: s.total.providers,
      providerShare: s.total.providerShare,
      consumeOnly: s.total.consumeOnly,
      datasets: s.total.datasets,
      datasetsUnused: s.total.datasetsUnused,
      grantsGiven: s.total.grantsGiven,
      grantsReceived: s.total.grantsReceived,
      departmentsMostClosed: s.departments.map((d) => ({
        address: d.address,
        name: d.name,
        kind: d.kind,
        regionCode: d.regionCode,
        index: d.index,
      })),
      kinds: s.kinds.map((k) => ({
        kind: k.key,
        index: k.index,
        departments: k.departments,
        providerShare: k.providerShare,
      })),
    },
  };
}
