import type { AccessRow, CaseRow } from '../projections/derive';

/** What an access adds to the rollups: the typed row's fields that key or sum them. */
export type AccessSums = Pick<
  AccessRow,
  | 'owner'
  | 'accessor'
  | 'datasetId'
  | 'category'
  | 'sensitivity'
  | 'mode'
  | 'ownerRegion'
  | 'accessorRegion'
  | 'recordCount'
>;

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** The sums one access adds to, and what they are keyed by beyond dataset, accessor and mode. */
interface AccessTarget {
  day: string;
  owner: string;
  category: number;
  sensitivity: number;
  ownerRegion: number;
  accessorRegion: number;
  dayIndex: number;
  flow: FlowDelta;
  region: FlowRegionDelta;
  pair: PairMonthDelta;
  daily: AccessDailyDelta;
}

/** The lowest and highest block holding events of one day. */
export interface BlockSpan {
  first: number;
  last: number;
}

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

export interface EventsDailyDelta {
  day: string;
  eventName: string;
  count: number;
  /** The lowest and highest block of these events: where a day's events lie (dayBlocks). */
  firstBlock: number;
  lastBlock: number;
}

/**
 * Sums per rollup key, for one range or for several merged (a backfill carries a day's sums from
 * range to range: rollups/pending.ts); flushed as increments (rollups are plain sums).
 */
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
  readonly eventsDaily = new Map<string, EventsDailyDelta>();
  /**
   * grants.access_count is a running sum like the rollups, and travels with them: a busy grant's
   * row rewritten once a day instead of in every range (a first backfill's index builds hold back
   * pruning meanwhile, and the per-range rewrites grew the large chain's `grants` sevenfold).
   * Per day, accesses per grant id.
   */
  readonly grantAccesses = new Map<string, Map<string, number>>();

  /** Every event counts here, once: its day's total per event name, and the blocks it spans. */
  addEvent(day: string, eventName: string, block: number): void {
    const k = `${day}|${eventName}`;
    const e = this.eventsDaily.get(k);
    if (e) {
      e.count += 1;
      if (block < e.firstBlock) e.firstBlock = block;
      if (block > e.lastBlock) e.lastBlock = block;
    } else this.eventsDaily.set(k, { day, eventName, count: 1, firstBlock: block, lastBlock: block });
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

  /** What a flow_daily row is keyed by (with this accumulator's small numbers for the addresses). */
  private flowKey(
    day: string,
    owner: string,
    accessor: string,
    category: number,
    sensitivity: number,
    mode: number,
  ) {
    return `${day}|${this.id(owner)}|${this.id(accessor)}|${category}|${sensitivity}|${mode}`;
  }

  private pairKey(
    month: string,
    owner: string,
    accessor: string,
    ownerRegion: number,
    accessorRegion: number,
  ) {
    return `${month}|${this.id(owner)}|${this.id(accessor)}|${ownerRegion}|${accessorRegion}`;
  }

  private dailyKey(day: string, accessor: string, datasetId: string) {
    return `${day}|${this.id(accessor)}|${this.id(datasetId)}`;
  }

  /**
   * The four sums an access adds to, per dataset, accessor and mode (the last day they were found
   * for): an access's keys were four strings built and hashed per event, ≈ 3.8 µs of a dense
   * backfill's ≈ 37 µs per event (profiled at 1M). The accesses of a dataset by one accessor in
   * one mode on one day all add to the same four sums, so those are looked up once.
   */
  private readonly targets = new Map<string, Map<string, (AccessTarget | undefined)[]>>();

  addAccess(day: string, r: AccessSums): void {
    // An access to an unknown dataset has no owner; it still counts, under the zero address.
    const owner = r.owner ?? ZERO_ADDRESS;
    let byAccessor = this.targets.get(r.datasetId);
    if (!byAccessor)
      this.targets.set(r.datasetId, (byAccessor = new Map<string, (AccessTarget | undefined)[]>()));
    let byMode = byAccessor.get(r.accessor);
    if (!byMode) byAccessor.set(r.accessor, (byMode = []));
    let t = byMode[r.mode];
    if (
      t === undefined ||
      t.day !== day ||
      t.owner !== owner ||
      t.category !== r.category ||
      t.sensitivity !== r.sensitivity ||
      t.ownerRegion !== r.ownerRegion ||
      t.accessorRegion !== r.accessorRegion
    ) {
      t = this.target(day, owner, r);
      byMode[r.mode] = t;
    }
    const n = r.recordCount;
    t.flow.accesses += 1;
    t.flow.records += n;
    t.region.accesses += 1;
    t.region.records += n;
    t.pair.dayMask |= 1 << t.dayIndex;
    t.pair.accesses[t.dayIndex] = (t.pair.accesses[t.dayIndex] ?? 0) + 1;
    t.pair.records[t.dayIndex] = (t.pair.records[t.dayIndex] ?? 0) + n;
    t.daily.accesses += 1;
    t.daily.records += n;
  }

  /** The four sums of an access's keys, made (at zero) where this accumulator has none yet. */
  private target(day: string, owner: string, r: AccessSums): AccessTarget {
    const fk = this.flowKey(day, owner, r.accessor, r.category, r.sensitivity, r.mode);
    let flow = this.flows.get(fk);
    if (!flow) {
      flow = {
        day,
        ownerOrg: owner,
        accessorOrg: r.accessor,
        category: r.category,
        sensitivity: r.sensitivity,
        mode: r.mode,
        ownerRegion: r.ownerRegion,
        accessorRegion: r.accessorRegion,
        accesses: 0,
        records: 0,
      };
      this.flows.set(fk, flow);
    }
    const rk = `${day}|${r.ownerRegion}|${r.accessorRegion}|${r.mode}`;
    let region = this.flowRegions.get(rk);
    if (!region) {
      region = {
        day,
        ownerRegion: r.ownerRegion,
        accessorRegion: r.accessorRegion,
        mode: r.mode,
        accesses: 0,
        records: 0,
      };
      this.flowRegions.set(rk, region);
    }
    const month = day.slice(0, 7);
    const pk = this.pairKey(month, owner, r.accessor, r.ownerRegion, r.accessorRegion);
    let pair = this.pairMonths.get(pk);
    if (!pair) {
      pair = {
        month,
        ownerOrg: owner,
        accessorOrg: r.accessor,
        ownerRegion: r.ownerRegion,
        accessorRegion: r.accessorRegion,
        dayMask: 0,
        accesses: new Array<number>(MONTH_DAYS).fill(0),
        records: new Array<number>(MONTH_DAYS).fill(0),
      };
      this.pairMonths.set(pk, pair);
    }
    const dk = this.dailyKey(day, r.accessor, r.datasetId);
    let daily = this.accessDaily.get(dk);
    if (!daily) {
      daily = { day, accessor: r.accessor, datasetId: r.datasetId, accesses: 0, records: 0 };
      this.accessDaily.set(dk, daily);
    }
    return {
      day,
      owner,
      category: r.category,
      sensitivity: r.sensitivity,
      ownerRegion: r.ownerRegion,
      accessorRegion: r.accessorRegion,
      dayIndex: Number(day.slice(8, 10)) - 1,
      flow,
      region,
      pair,
      daily,
    };
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

  /** A DataAccessed under a grant that was issued before it (apply.ts knows it). */
  addGrantAccess(day: string, grantId: string): void {
    let perGrant = this.grantAccesses.get(day);
    if (!perGrant) this.grantAccesses.set(day, (perGrant = new Map<string, number>()));
    perGrant.set(grantId, (perGrant.get(grantId) ?? 0) + 1);
  }

  addItemListing(day: string, regionCode: number, onlineLevel: number): void {
    const k = `${day}|${regionCode}|${onlineLevel}`;
    const i = this.items.get(k);
    if (i) i.listings += 1;
    else this.items.set(k, { day, regionCode, onlineLevel, listings: 1 });
  }

  /** Keys held over every table: what the sums weigh in memory. */
  get size(): number {
    return (
      this.flows.size +
      this.flowRegions.size +
      this.pairMonths.size +
      this.adoption.size +
      this.accessDaily.size +
      this.items.size +
      this.eventsDaily.size +
      [...this.grantAccesses.values()].reduce((n, perGrant) => n + perGrant.size, 0)
    );
  }

  /** Per day held, the blocks its events lie in. */
  dayBlocks(): Map<string, BlockSpan> {
    const out = new Map<string, BlockSpan>();
    for (const e of this.eventsDaily.values()) {
      const s = out.get(e.day);
      if (!s) out.set(e.day, { first: e.firstBlock, last: e.lastBlock });
      else {
        s.first = Math.min(s.first, e.firstBlock);
        s.last = Math.max(s.last, e.lastBlock);
      }
    }
    return out;
  }

  /** Adds `other`'s sums to these. Its entries are taken over: `other` is not to be used after. */
  merge(other: RollupAccumulator): void {
    // Sums taken over from `other` are new objects here: found again by key at the next access.
    this.targets.clear();
    /** Each of `from`'s sums joins this one's of the same key (`key`), or is taken over. */
    const join = <V>(
      from: Map<string, V>,
      to: Map<string, V>,
      key: (v: V, k: string) => string,
      add: (mine: V, theirs: V) => void,
    ) => {
      for (const [k, v] of from) {
        const at = key(v, k);
        const mine = to.get(at);
        if (mine) add(mine, v);
        else to.set(at, v);
      }
    };
    const addCounts = (mine: { accesses: number; records: number }, theirs: typeof mine) => {
      mine.accesses += theirs.accesses;
      mine.records += theirs.records;
    };
    join(
      other.flows,
      this.flows,
      (f) => this.flowKey(f.day, f.ownerOrg, f.accessorOrg, f.category, f.sensitivity, f.mode),
      addCounts,
    );
    join(other.flowRegions, this.flowRegions, (_, k) => k, addCounts);
    join(
      other.pairMonths,
      this.pairMonths,
      (p) => this.pairKey(p.month, p.ownerOrg, p.accessorOrg, p.ownerRegion, p.accessorRegion),
      (mine, p) => {
        mine.dayMask |= p.dayMask;
        for (let i = 0; i < MONTH_DAYS; i++) {
          mine.accesses[i] = (mine.accesses[i] ?? 0) + (p.accesses[i] ?? 0);
          mine.records[i] = (mine.records[i] ?? 0) + (p.records[i] ?? 0);
        }
      },
    );
    join(
      other.accessDaily,
      this.accessDaily,
      (d) => this.dailyKey(d.day, d.accessor, d.datasetId),
      addCounts,
    );
    join(
      other.adoption,
      this.adoption,
      (_, k) => k,
      (mine, a) => {
        mine.casesTotal += a.casesTotal;
        mine.casesWindow += a.casesWindow;
        mine.casesWeb += a.casesWeb;
        mine.casesMobile += a.casesMobile;
        mine.jointCases += a.jointCases;
        mine.durationMinutesTotal += a.durationMinutesTotal;
      },
    );
    join(
      other.items,
      this.items,
      (_, k) => k,
      (mine, i) => (mine.listings += i.listings),
    );
    join(
      other.eventsDaily,
      this.eventsDaily,
      (_, k) => k,
      (mine, e) => {
        mine.count += e.count;
        mine.firstBlock = Math.min(mine.firstBlock, e.firstBlock);
        mine.lastBlock = Math.max(mine.lastBlock, e.lastBlock);
      },
    );
    join(
      other.grantAccesses,
      this.grantAccesses,
      (_, day) => day,
      (mine, theirs) => {
        for (const [grantId, n] of theirs) mine.set(grantId, (mine.get(grantId) ?? 0) + n);
      },
    );
  }

  /** Moves the sums of `days` (YYYY-MM-DD) out of this accumulator into a new one. */
  takeDays(days: ReadonlySet<string>): RollupAccumulator {
    this.targets.clear();
    const out = new RollupAccumulator();
    const move = <V extends { day: string }>(
      from: Map<string, V>,
      to: Map<string, V>,
      key: (v: V, k: string) => string,
    ) => {
      for (const [k, v] of from) {
        if (!days.has(v.day)) continue;
        to.set(key(v, k), v);
        from.delete(k);
      }
    };
    move(this.flows, out.flows, (f) =>
      out.flowKey(f.day, f.ownerOrg, f.accessorOrg, f.category, f.sensitivity, f.mode),
    );
    move(this.flowRegions, out.flowRegions, (_, k) => k);
    move(this.accessDaily, out.accessDaily, (d) => out.dailyKey(d.day, d.accessor, d.datasetId));
    move(this.adoption, out.adoption, (_, k) => k);
    move(this.items, out.items, (_, k) => k);
    move(this.eventsDaily, out.eventsDaily, (_, k) => k);
    for (const [day, perGrant] of this.grantAccesses) {
      if (!days.has(day)) continue;
      out.grantAccesses.set(day, perGrant);
      this.grantAccesses.delete(day);
    }
    // A pair-month holds each of its days apart: the days taken go, the others stay.
    const taken = new Map<string, number>();
    for (const d of days) {
      const month = d.slice(0, 7);
      taken.set(month, (taken.get(month) ?? 0) | (1 << (Number(d.slice(8, 10)) - 1)));
    }
    for (const [k, p] of this.pairMonths) {
      const mask = (taken.get(p.month) ?? 0) & p.dayMask;
      if (mask === 0) continue;
      const outKey = out.pairKey(p.month, p.ownerOrg, p.accessorOrg, p.ownerRegion, p.accessorRegion);
      if (mask === p.dayMask) {
        out.pairMonths.set(outKey, p);
        this.pairMonths.delete(k);
        continue;
      }
      const part: PairMonthDelta = {
        ...p,
        dayMask: mask,
        accesses: new Array<number>(MONTH_DAYS).fill(0),
        records: new Array<number>(MONTH_DAYS).fill(0),
      };
      for (let i = 0; i < MONTH_DAYS; i++) {
        if ((mask & (1 << i)) === 0) continue;
        part.accesses[i] = p.accesses[i] ?? 0;
        part.records[i] = p.records[i] ?? 0;
        p.accesses[i] = 0;
        p.records[i] = 0;
      }
      p.dayMask &= ~mask;
      out.pairMonths.set(outKey, part);
    }
    return out;
  }
}
