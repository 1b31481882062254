import type { AccessRow, CaseRow } from '../projections/derive';

/** Days in the longest month: the length of a pair-month's daily amounts and of flow_pair_monthly's running totals. */
export const MONTH_DAYS = 31;

export interface FlowDelta {
  day: string;
  ownerOrg: string;
  accessorOrg: string;
  category: number;
  sensitivity: number;
  mode: number;
  ownerRegion: number;
  accessorRegion: number;
  accesses: number;
  records: number;
}

export interface FlowRegionDelta {
  day: string;
  ownerRegion: number;
  accessorRegion: number;
  mode: number;
  accesses: number;
  records: number;
}

export interface PairMonthDelta {
  month: string;
  ownerOrg: string;
  accessorOrg: string;
  ownerRegion: number;
  accessorRegion: number;
  dayMask: number;
  /** This range's accesses and records per day of the month (index d-1 = day d). */
  accesses: number[];
  records: number[];
}

export interface AdoptionDelta {
  day: string;
  regionCode: number;
  casesTotal: number;
  casesWindow: number;
  casesWeb: number;
  casesMobile: number;
  jointCases: number;
  durationMinutesTotal: number;
}

export interface AccessDailyDelta {
  day: string;
  accessor: string;
  datasetId: string;
  accesses: number;
  records: number;
}

/** Sums per rollup key for one range; flushed as increments (rollups are plain sums). */
export class RollupAccumulator {
  readonly flows = new Map<string, FlowDelta>();
  readonly flowRegions = new Map<string, FlowRegionDelta>();
  readonly pairMonths = new Map<string, PairMonthDelta>();
  readonly adoption = new Map<string, AdoptionDelta>();
  readonly accessDaily = new Map<string, AccessDailyDelta>();
  readonly items = new Map<
    string,
    { day: string; regionCode: number; onlineLevel: number; listings: number }
  >();
  readonly eventsDaily = new Map<string, { day: string; eventName: string; count: number }>();

  addEvent(day: string, eventName: string): void {
    const k = `${day}|${eventName}`;
    const e = this.eventsDaily.get(k);
    if (e) e.count += 1;
    else this.eventsDaily.set(k, { day, eventName, count: 1 });
  }

  /**
   * Small numbers for the addresses and dataset ids in this range's keys. Four keys per access
   * built from 42- and 66-character hex cost more than the sums themselves (profiled); a key of
   * small numbers is built and hashed in a fraction of that.
   */
  private readonly ids = new Map<string, number>();

  private id(s: string): number {
    let n = this.ids.get(s);
    if (n === undefined) this.ids.set(s, (n = this.ids.size));
    return n;
  }

  addAccess(day: string, r: AccessRow): void {
    // An access to an unknown dataset has no owner; it still counts, under the zero address.
    const owner = r.owner ?? '0x0000000000000000000000000000000000000000';
    const oi = this.id(owner);
    const ai = this.id(r.accessor);
    const k = `${day}|${oi}|${ai}|${r.category}|${r.sensitivity}|${r.mode}`;
    const f = this.flows.get(k);
    if (f) {
      f.accesses += 1;
      f.records += r.recordCount;
    } else {
      this.flows.set(k, {
        day,
        ownerOrg: owner,
        accessorOrg: r.accessor,
        category: r.category,
        sensitivity: r.sensitivity,
        mode: r.mode,
        ownerRegion: r.ownerRegion,
        accessorRegion: r.accessorRegion,
        accesses: 1,
        records: r.recordCount,
      });
    }
    const rk = `${day}|${r.ownerRegion}|${r.accessorRegion}|${r.mode}`;
    const g = this.flowRegions.get(rk);
    if (g) {
      g.accesses += 1;
      g.records += r.recordCount;
    } else {
      this.flowRegions.set(rk, {
        day,
        ownerRegion: r.ownerRegion,
        accessorRegion: r.accessorRegion,
        mode: r.mode,
        accesses: 1,
        records: r.recordCount,
      });
    }
    const month = day.slice(0, 7);
    const dayIndex = Number(day.slice(8, 10)) - 1;
    const pk = `${month}|${oi}|${ai}|${r.ownerRegion}|${r.accessorRegion}`;
    let pm = this.pairMonths.get(pk);
    if (!pm) {
      pm = {
        month,
        ownerOrg: owner,
        accessorOrg: r.accessor,
        ownerRegion: r.ownerRegion,
        accessorRegion: r.accessorRegion,
        dayMask: 0,
        accesses: new Array<number>(MONTH_DAYS).fill(0),
        records: new Array<number>(MONTH_DAYS).fill(0),
      };
      this.pairMonths.set(pk, pm);
    }
    pm.dayMask |= 1 << dayIndex;
    pm.accesses[dayIndex] = (pm.accesses[dayIndex] ?? 0) + 1;
    pm.records[dayIndex] = (pm.records[dayIndex] ?? 0) + r.recordCount;
    const dk = `${day}|${ai}|${this.id(r.datasetId)}`;
    const d = this.accessDaily.get(dk);
    if (d) {
      d.accesses += 1;
      d.records += r.recordCount;
    } else {
      this.accessDaily.set(dk, {
        day,
        accessor: r.accessor,
        datasetId: r.datasetId,
        accesses: 1,
        records: r.recordCount,
      });
    }
  }

  addCase(day: string, c: CaseRow): void {
    const k = `${day}|${c.regionCode}`;
    let a = this.adoption.get(k);
    if (!a) {
      a = {
        day,
        regionCode: c.regionCode,
        casesTotal: 0,
        casesWindow: 0,
        casesWeb: 0,
        casesMobile: 0,
        jointCases: 0,
        durationMinutesTotal: 0,
      };
      this.adoption.set(k, a);
    }
    a.casesTotal += 1;
    if (c.channel === 1) a.casesWindow += 1;
    else if (c.channel === 2) a.casesWeb += 1;
    else if (c.channel === 3) a.casesMobile += 1;
    if (c.orgsInvolved >= 2) a.jointCases += 1;
    a.durationMinutesTotal += c.durationMinutes;
  }

  addItemListing(day: string, regionCode: number, onlineLevel: number): void {
    const k = `${day}|${regionCode}|${onlineLevel}`;
    const i = this.items.get(k);
    if (i) i.listings += 1;
    else this.items.set(k, { day, regionCode, onlineLevel, listings: 1 });
  }
}
