import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';

export interface HashingSink extends Writable {
  /** sha256 (hex) of every byte written so far; final once the sink has finished. */
  digest(): string;
  /** SM3 (hex, GM/T 0004) of the same bytes. */
  sm3(): string;
  bytes(): number;
}

/**
 * A Writable in front of `out` that hashes what passes through (the manifest's SHA-256 and SM3 are of the
 * file bytes, so it is computed on the bytes as they leave) and forwards with backpressure: a
 * chunk is acknowledged only when `out` has taken it. `end: false` leaves `out` open (stdout).
 */
export function createHashingSink(out: NodeJS.WritableStream, opts: { end?: boolean } = {}): HashingSink {
  const hash = createHash('sha256');
  const sm3 = createHash('sm3');
  let count = 0;
  let hex: string | null = null;
  let sm3Hex: string | null = null;
  let ending = false;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      sm3.update(chunk);
      count += chunk.length;
      if (out.write(chunk)) cb();
      else out.once('drain', () => cb());
    },
    final(cb) {
      ending = true;
      hex = hash.digest('hex');
      sm3Hex = sm3.digest('hex');
      if (opts.end === false) return cb();
      out.once('error', cb);
      out.end(() => cb());
    },
  }) as HashingSink;
  // A client that goes away mid-export must end the export (and release its read transaction),
  // not leave a write waiting for a 'drain' that never comes.
  const gone = (err?: Error) => {
    // `ending`: out closing because final() ended it is the normal end, not a client leaving.
    if (!ending && !sink.destroyed) sink.destroy(err ?? new Error('export output closed before the end'));
  };
  // The failure reaches the export through drained()/finishSink() (sink.errored); without a
  // listener the 'error' event would throw before 'close' is emitted.
  sink.on('error', () => undefined);
  out.once('error', gone);
  out.once('close', () => gone());
  sink.digest = () => hex ?? createHash('sha256').update('').digest('hex');
  sink.sm3 = () => sm3Hex ?? createHash('sm3').update('').digest('hex');
  sink.bytes = () => count;
  return sink;
}

/** Resolves when the sink can take more; rejects when it was destroyed (client gone). */
export function drained(sink: Writable): Promise<void> {
  if (sink.destroyed) return Promise.reject(sink.errored ?? new Error('export output closed'));
  if (!sink.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      sink.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      sink.off('drain', onDrain);
      reject(sink.errored ?? new Error('export output closed'));
    };
    sink.once('drain', onDrain);
    sink.once('close', onClose);
  });
}

/** Writes one chunk and resolves once the sink can take more. */
export function writeChunk(sink: Writable, chunk: string | Buffer): Promise<void> {
  if (sink.destroyed) return Promise.reject(sink.errored ?? new Error('export output closed'));
  sink.write(chunk, () => undefined);
  return drained(sink);
}

/** Ends the sink and resolves when every byte reached `out`. */
export function finishSink(sink: Writable): Promise<void> {
  // exceljs ends the stream it writes to on commit: then there is nothing left to do.
  if (sink.writableFinished) return Promise.resolve();
  if (sink.destroyed) return Promise.reject(sink.errored ?? new Error('export output closed'));
  return new Promise((resolve, reject) => {
    sink.once('error', reject);
    sink.once('close', () =>
      sink.writableFinished ? resolve() : reject(sink.errored ?? new Error('export output closed')),
    );
    sink.end(() => resolve());
  });
}
