/**
 * Values that a busy chain repeats in most of its logs, read once and then shared: a DataAccessed's
 * grant, dataset and accessor and the organisation of a case, an invoice or a certificate (a
 * province has thousands of grants and organisations, not millions), and a transaction's hash over
 * its hundreds of logs. JSON.parse gives every log its own copy of each;
 * kept by the decoded event, each copy lived as long as its range (fetched, prepared, written) and
 * was copied twice by the young generation's collector on the way: scavenges were ≈ 2.4 s of a
 * 1M-event dense backfill. Shared, the copies die at once, and a value seen before skips its
 * checks (it passed them when first seen: the same text passes again).
 */
export class RepeatedValues<V> {
  private readonly values = new Map<string, V>();

  /** `limit` bounds memory: a chain whose "repeated" values never repeat starts over when full. */
  constructor(private readonly limit: number) {}

  get(raw: string): V | undefined {
    return this.values.get(raw);
  }

  remember(raw: string, value: V): V {
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(raw, value);
    return value;
  }
}

/** The last raw value read and what it became: for values repeated by consecutive logs. */
export class LastValue<V> {
  private raw: string | undefined;
  private value: V | undefined;

  /** `read(raw)`, or the last answer when `raw` is the same text as last time. */
  of(raw: string, read: (raw: string) => V): V {
    if (raw === this.raw && this.value !== undefined) return this.value;
    const v = read(raw);
    this.raw = raw;
    this.value = v;
    return v;
  }
}
