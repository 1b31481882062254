/**
 * Rows in Postgres's binary COPY format, collected into buffers of CHUNK_BYTES.
 *
 * Raw events, typed accesses and cases go this way: Postgres reads a binary row without parsing text.
 * The raw row's text parsing was a quarter of its COPY (200k dense-chain events: ≈ 1.8 s as CSV,
 * ≈ 1.3 s as binary, timestamps and integers no longer parsed, the args JSON no longer unquoted);
 * 200k accesses: 1.55 s as CSV, 1.29 s as binary. Nothing is escaped either: every value is
 * length-prefixed.
 *
 * Format (the COPY reference, "Binary Format"): an 11-byte signature, flags and header-extension
 * length (both 0); per row a 16-bit field count, then per field a 32-bit byte length (-1 for NULL)
 * and the value in the type's send format; a 16-bit -1 ends the data.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Bytes per buffer: few stream writes, little slack. */
const CHUNK_BYTES = 256 * 1024;
/** 2000-01-01T00:00:00Z in unix seconds: timestamptz's binary zero. */
const PG_EPOCH_UNIX = 946_684_800;
const TWO_32 = 2 ** 32;

/**
 * A value for an integer column, refused unless it is one. Node's writers turn undefined and NaN
 * into 0 and drop a fraction without a word, where COPY's CSV parser refused them: a missing
 * lookup (an address's number, say) would be stored as 0 instead of failing the range.
 */
function whole(v: number): number {
  if (!Number.isSafeInteger(v)) throw new RangeError(`binary COPY: ${String(v)} is not a whole number`);
  return v;
}

export class BinaryCopyRows {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private rows = 0;

  constructor() {
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, 11); // flags
    this.buf.writeInt32BE(0, 15); // header extension length
    this.used = 19;
  }

  /** Starts a row of `fields` values; each value method below adds the next. */
  row(fields: number): this {
    this.rows += 1;
    this.room(2);
    this.used = this.buf.writeInt16BE(fields, this.used);
    return this;
  }

  int2(v: number): this {
    this.room(6);
    this.used = this.buf.writeInt32BE(2, this.used);
    this.used = this.buf.writeInt16BE(whole(v), this.used);
    return this;
  }

  int4(v: number): this {
    this.room(8);
    this.used = this.buf.writeInt32BE(4, this.used);
    this.used = this.buf.writeInt32BE(whole(v), this.used);
    return this;
  }

  /** A safe integer as int8 (block numbers): two 32-bit halves, no BigInt made per value. */
  int8(v: number): this {
    this.room(12);
    this.used = this.buf.writeInt32BE(8, this.used);
    const high = Math.floor(whole(v) / TWO_32);
    this.used = this.buf.writeInt32BE(high, this.used);
    this.used = this.buf.writeUInt32BE(v - high * TWO_32, this.used);
    return this;
  }

  /** A unix time in seconds as timestamptz: microseconds since 2000-01-01 UTC, as int8. */
  timestamptz(unixSeconds: number): this {
    return this.int8((unixSeconds - PG_EPOCH_UNIX) * 1_000_000);
  }

  /** Any text (varchar, text, json) as UTF-8; null is NULL. */
  text(s: string | null): this {
    if (s === null) {
      this.room(4);
      this.used = this.buf.writeInt32BE(-1, this.used);
      return this;
    }
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.room(4 + s.length * 3);
    const n = this.buf.write(s, this.used + 4, 'utf8');
    this.buf.writeInt32BE(n, this.used);
    this.used += 4 + n;
    return this;
  }

  /**
   * A hash or an address the decoder checked to be `0x` and hex digits: one byte per character,
   * copied as Latin-1 (the same bytes as UTF-8 for these) rather than encoded. Six of an access
   * row's values (UTF-8 encoding of text values: ≈ 0.5 s of CPU at 1M dense events, profiled).
   */
  hex(s: `0x${string}` | null): this {
    if (s === null) return this.text(null);
    this.room(4 + s.length);
    this.used = this.buf.writeInt32BE(s.length, this.used);
    this.used += this.buf.write(s, this.used, 'latin1');
    return this;
  }

  /** Rows started so far. */
  get count(): number {
    return this.rows;
  }

  /** The buffers with the end-of-data mark: what COPY … (FORMAT binary) reads; none without rows. */
  finish(): Buffer[] {
    if (this.rows === 0) return [];
    this.room(2);
    this.used = this.buf.writeInt16BE(-1, this.used);
    this.chunks.push(this.buf.subarray(0, this.used));
    this.buf = Buffer.allocUnsafe(0);
    this.used = 0;
    return this.chunks;
  }

  /** Each value lies in one buffer; a row may span two (COPY reads one byte stream). */
  private room(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    if (this.used > 0) this.chunks.push(this.buf.subarray(0, this.used));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    this.used = 0;
  }
}
