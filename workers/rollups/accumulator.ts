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

/**
 * What the accesses of one dataset by one accessor in one mode on one day add to: the keys of
 * their four sums, and the fields those sums are made of.
 */
interface AccessKeys {
  day: string;
  month: string;
  /** Index of the day in its month's daily amounts (day d: d-1). */
  dayIndex: number;
  owner: string;
  accessor: string;
  datasetId: string;
  category: number;
  sensitivity: number;
  mode: number;
  ownerRegion: number;
  accessorRegion: number;
  flow: string;
  region: string;
  pair: string;
  daily: string;
  /** The accumulator (its serial) whose accesses under these keys `slot` counts, and that slot. */
  holder: number;
  slot: AccessSlot | undefined;
}

/** What an access's sums are keyed by beyond its day and owner. */
type KeyedBy = Pick<
  AccessKeys,
  'accessor' | 'datasetId' | 'category' | 'sensitivity' | 'mode' | 'ownerRegion' | 'accessorRegion'
>;

/** An accumulator's accesses under one set of keys, not yet added to its four sums. */
interface AccessSlot {
  keys: AccessKeys;
  accesses: number;
  records: number;
}

/** Serials of accumulators: which one an AccessKeys' slot belongs to. */
let serials = 0;

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
 * Entries (numbers and pairs' keys) held before a new numbering starts: the addresses and dataset
 * ids a chain names are thousands, but accesses to unknown datasets are counted too, so a hostile
 * member could name millions; a long-running worker must not keep them all.
 */
const MAX_NUMBERED = 200_000;

/**
 * Small numbers for the addresses and dataset ids in the rollups' keys. Four keys per access
 * built from 42- and 66-character hex cost more than the sums themselves (profiled); a key of
 * small numbers is built and hashed in a fraction of that. One numbering serves the process, so
 * that a range's sums join the carried ones under the key they already have, and an access's keys
 * are built once a day per dataset, accessor and mode rather than once per range (a range of the
 * large chain holds ≈ 10,100 accesses under ≈ 6,100 key sets: 3.16M key sets over its 518 ranges,
 * against 416k over its 30 days).
 */
export class KeyNumbering {
  private readonly ids = new Map<string, number>();
  /** Per dataset, accessor and mode: the keys its accesses were last summed under. */
  private readonly accessKeys = new Map<string, Map<string, (AccessKeys | undefined)[]>>();

  private pairs = 0;

  /** Addresses and ids numbered, and the pairs whose keys are kept. */
  get size(): number {
    return this.ids.size + this.pairs;
  }

  id(s: string): number {
    let n = this.ids.get(s);
    if (n === undefined) this.ids.set(s, (n = this.ids.size));
    return n;
  }

  /** What a flow_daily row is keyed by. */
  flowKey(day: string, owner: string, accessor: string, category: number, sensitivity: number, mode: number) {
    return `${day}|${this.id(owner)}|${this.id(accessor)}|${category}|${sensitivity}|${mode}`;
  }

  pairKey(month: string, owner: string, accessor: string, ownerRegion: number, accessorRegion: number) {
    return `${month}|${this.id(owner)}|${this.id(accessor)}|${ownerRegion}|${accessorRegion}`;
  }

  dailyKey(day: string, accessor: string, datasetId: string) {
    return `${day}|${this.id(accessor)}|${this.id(datasetId)}`;
  }

  /** The keys of an access's four sums on `day` (the access's owner resolved). */
  accessKeysFor(day: string, owner: string, r: KeyedBy): AccessKeys {
    let byAccessor = this.accessKeys.get(r.datasetId);
    if (!byAccessor)
      this.accessKeys.set(r.datasetId, (byAccessor = new Map<string, (AccessKeys | undefined)[]>()));
    let byMode = byAccessor.get(r.accessor);
    if (!byMode) {
      byAccessor.set(r.accessor, (byMode = []));
      this.pairs += 1;
    }
    const k = byMode[r.mode];
    if (
      k !== undefined &&
      k.day === day &&
      k.owner === owner &&
      k.category === r.category &&
      k.sensitivity === r.sensitivity &&
      k.ownerRegion === r.ownerRegion &&
      k.accessorRegion === r.accessorRegion
    )
      return k;
    const month = day.slice(0, 7);
    const made: AccessKeys = {
      day,
      month,
      dayIndex: Number(day.slice(8, 10)) - 1,
      owner,
      accessor: r.accessor,
      datasetId: r.datasetId,
      category: r.category,
      sensitivity: r.sensitivity,
      mode: r.mode,
      ownerRegion: r.ownerRegion,
      accessorRegion: r.accessorRegion,
      flow: this.flowKey(day, owner, r.accessor, r.category, r.sensitivity, r.mode),
      region: `${day}|${r.ownerRegion}|${r.accessorRegion}|${r.mode}`,
      pair: this.pairKey(month, owner, r.accessor, r.ownerRegion, r.accessorRegion),
      daily: this.dailyKey(day, r.accessor, r.datasetId),
      holder: -1,
      slot: undefined,
    };
    byMode[r.mode] = made;
    return made;
  }
}

let shared = new KeyNumbering();

/**
 * The numbering a new accumulator keys its sums with: the process's, started anew past
 * MAX_NUMBERED. Accumulators made with the same one share their keys (a merge or a split moves
 * sums under the key they have); made with different ones, the keys are built again.
 */
function processNumbering(): KeyNumbering {
  if (shared.size >= MAX_NUMBERED) shared = new KeyNumbering();
  return shared;
}

/**
 * Sums per rollup key, for one range or for several merged (a backfill carries a day's sums from
 * range to range: rollups/pending.ts); flushed as increments (rollups are plain sums).
 */
export class RollupAccumulator {
  /** `keys`: the numbering its keys are made with (tests give accumulators their own). */
  constructor(private readonly keys: KeyNumbering = processNumbering()) {}

  private readonly flowSums = new Map<string, FlowDelta>();
  private readonly regionSums = new Map<string, FlowRegionDelta>();
  private readonly pairSums = new Map<string, PairMonthDelta>();
  private readonly dailySums = new Map<string, AccessDailyDelta>();
  readonly adoption = new Map<string, AdoptionDelta>();
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

  /**
   * The entry addEvent counted into last, and addGrantAccess's last day with its grants: the
   * events of a range come day by day, mostly of one name, so most need no key made and no look-up
   * (a key string per event was ≈ 14 MB of a dense 200k backfill's garbage). Forgotten whenever
   * entries move to or from another accumulator (merge, takeDays).
   */
  private lastEvent: EventsDailyDelta | undefined;
  private lastGrantDay: string | undefined;
  private lastPerGrant: Map<string, number> | undefined;

  private forgetLast(): void {
    this.lastEvent = undefined;
    this.lastGrantDay = undefined;
    this.lastPerGrant = undefined;
  }

  /** Every event counts here, once: its day's total per event name, and the blocks it spans. */
  addEvent(day: string, eventName: string, block: number): void {
    let e = this.lastEvent;
    if (e === undefined || e.day !== day || e.eventName !== eventName) {
      const k = `${day}|${eventName}`;
      e = this.eventsDaily.get(k);
      if (!e)
        this.eventsDaily.set(k, (e = { day, eventName, count: 0, firstBlock: block, lastBlock: block }));
      this.lastEvent = e;
    }
    e.count += 1;
    if (block < e.firstBlock) e.firstBlock = block;
    if (block > e.lastBlock) e.lastBlock = block;
  }

  /**
   * Accesses are counted per set of keys (dataset, accessor, mode and day) and added to the four
   * sums they key only when the sums are read or merged: a range of a busy chain meets most of its
   * pairs once or twice, and making its own four sums for each (and merging those) was most of
   * the accumulator's cost; the carried sums take a range's counts directly.
   */
  private slots: AccessSlot[] = [];
  /** Changes whenever `slots` is emptied, so that no AccessKeys points into it any more. */
  private serial = ++serials;

  addAccess(day: string, r: AccessSums): void {
    // An access to an unknown dataset has no owner; it still counts, under the zero address.
    const keys = this.keys.accessKeysFor(day, r.owner ?? ZERO_ADDRESS, r);
    let slot = keys.holder === this.serial ? keys.slot : undefined;
    if (slot === undefined) {
      slot = { keys, accesses: 0, records: 0 };
      keys.holder = this.serial;
      keys.slot = slot;
      this.slots.push(slot);
    }
    slot.accesses += 1;
    slot.records += r.recordCount;
  }

  /** The flow_daily sums (with the counted accesses added). */
  get flows(): ReadonlyMap<string, FlowDelta> {
    this.spread();
    return this.flowSums;
  }

  get flowRegions(): ReadonlyMap<string, FlowRegionDelta> {
    this.spread();
    return this.regionSums;
  }

  get pairMonths(): ReadonlyMap<string, PairMonthDelta> {
    this.spread();
    return this.pairSums;
  }

  get accessDaily(): ReadonlyMap<string, AccessDailyDelta> {
    this.spread();
    return this.dailySums;
  }

  /** Adds the counted accesses to the four sums they key. */
  private spread(): void {
    if (this.slots.length === 0) return;
    this.addSlots(this.slots);
    this.slots = [];
    this.serial = ++serials;
  }

  /**
   * Adds counted accesses (this accumulator's, or another's made with `numbering`) to this one's
   * sums.
   */
  private addSlots(slots: readonly AccessSlot[], numbering: KeyNumbering = this.keys): void {
    const sameKeys = numbering === this.keys;
    for (const { keys, accesses, records } of slots) {
      const k = sameKeys ? keys : this.keys.accessKeysFor(keys.day, keys.owner, keys);
      let flow = this.flowSums.get(k.flow);
      if (!flow) {
        flow = {
          day: k.day,
          ownerOrg: k.owner,
          accessorOrg: k.accessor,
          category: k.category,
          sensitivity: k.sensitivity,
          mode: k.mode,
          ownerRegion: k.ownerRegion,
          accessorRegion: k.accessorRegion,
          accesses: 0,
          records: 0,
        };
        this.flowSums.set(k.flow, flow);
      }
      flow.accesses += accesses;
      flow.records += records;
      let region = this.regionSums.get(k.region);
      if (!region) {
        region = {
          day: k.day,
          ownerRegion: k.ownerRegion,
          accessorRegion: k.accessorRegion,
          mode: k.mode,
          accesses: 0,
          records: 0,
        };
        this.regionSums.set(k.region, region);
      }
      region.accesses += accesses;
      region.records += records;
      let pair = this.pairSums.get(k.pair);
      if (!pair) {
        pair = {
          month: k.month,
          ownerOrg: k.owner,
          accessorOrg: k.accessor,
          ownerRegion: k.ownerRegion,
          accessorRegion: k.accessorRegion,
          dayMask: 0,
          accesses: new Array<number>(MONTH_DAYS).fill(0),
          records: new Array<number>(MONTH_DAYS).fill(0),
        };
        this.pairSums.set(k.pair, pair);
      }
      pair.dayMask |= 1 << k.dayIndex;
      pair.accesses[k.dayIndex] = (pair.accesses[k.dayIndex] ?? 0) + accesses;
      pair.records[k.dayIndex] = (pair.records[k.dayIndex] ?? 0) + records;
      let daily = this.dailySums.get(k.daily);
      if (!daily) {
        daily = { day: k.day, accessor: k.accessor, datasetId: k.datasetId, accesses: 0, records: 0 };
        this.dailySums.set(k.daily, daily);
      }
      daily.accesses += accesses;
      daily.records += records;
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

  /** A DataAccessed under a grant that was issued before it (apply.ts knows it). */
  addGrantAccess(day: string, grantId: string): void {
    let perGrant = this.lastGrantDay === day ? this.lastPerGrant : undefined;
    if (perGrant === undefined) {
      perGrant = this.grantAccesses.get(day);
      if (!perGrant) this.grantAccesses.set(day, (perGrant = new Map<string, number>()));
      this.lastGrantDay = day;
      this.lastPerGrant = perGrant;
    }
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
    this.forgetLast();
    // A sum's fields beyond its key are its first access's (a flow's regions): sums join in the
    // order of their accesses, these first, then `other`'s made, then its counted accesses.
    this.spread();
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
    // Under the same numbering a sum's key is already this accumulator's.
    const sameKeys = other.keys === this.keys;
    join(
      other.flowSums,
      this.flowSums,
      sameKeys
        ? (_, k) => k
        : (f) => this.keys.flowKey(f.day, f.ownerOrg, f.accessorOrg, f.category, f.sensitivity, f.mode),
      addCounts,
    );
    join(other.regionSums, this.regionSums, (_, k) => k, addCounts);
    join(
      other.pairSums,
      this.pairSums,
      sameKeys
        ? (_, k) => k
        : (p) => this.keys.pairKey(p.month, p.ownerOrg, p.accessorOrg, p.ownerRegion, p.accessorRegion),
      (mine, p) => {
        mine.dayMask |= p.dayMask;
        for (let i = 0; i < MONTH_DAYS; i++) {
          mine.accesses[i] = (mine.accesses[i] ?? 0) + (p.accesses[i] ?? 0);
          mine.records[i] = (mine.records[i] ?? 0) + (p.records[i] ?? 0);
        }
      },
    );
    join(
      other.dailySums,
      this.dailySums,
      sameKeys ? (_, k) => k : (d) => this.keys.dailyKey(d.day, d.accessor, d.datasetId),
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
    // `other`'s counted accesses go to these sums directly, never making sums of their own.
    this.addSlots(other.slots, other.keys);
    other.slots = [];
    other.serial = ++serials;
  }

  /** Moves the sums of `days` (YYYY-MM-DD) out of this accumulator into a new one. */
  takeDays(days: ReadonlySet<string>): RollupAccumulator {
    this.spread();
    this.forgetLast();
    // The same numbering: every sum moves under the key it has.
    const out = new RollupAccumulator(this.keys);
    const move = <V extends { day: string }>(from: Map<string, V>, to: Map<string, V>) => {
      for (const [k, v] of from) {
        if (!days.has(v.day)) continue;
        to.set(k, v);
        from.delete(k);
      }
    };
    move(this.flowSums, out.flowSums);
    move(this.regionSums, out.regionSums);
    move(this.dailySums, out.dailySums);
    move(this.adoption, out.adoption);
    move(this.items, out.items);
    move(this.eventsDaily, out.eventsDaily);
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
    for (const [k, p] of this.pairSums) {
      const mask = (taken.get(p.month) ?? 0) & p.dayMask;
      if (mask === 0) continue;
      if (mask === p.dayMask) {
        out.pairSums.set(k, p);
        this.pairSums.delete(k);
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
      out.pairSums.set(k, part);
    }
    return out;
  }
}
