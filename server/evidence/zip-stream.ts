import type { PassThrough } from 'node:stream';
import { Writable } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';

/**
 * A ZIP written as a stream into `out`, entry after entry, with fflate's synchronous deflate:
 * each entry is a Writable that acknowledges a chunk only when `out` can take more, so a slow
 * client holds back the producer (the export query), not memory. Entries must be written one
 * after the other (a ZIP's entries do not interleave; fflate would buffer a second one).
 */
export function createZipStream(out: PassThrough) {
  const zip = new Zip((err, chunk, final) => {
    if (err) return out.destroy(err);
    if (out.destroyed) return;
    out.write(chunk);
    if (final) out.end();
  });
  const waitForOut = (cb: (e?: Error | null) => void) => {
    if (out.destroyed) return cb(new Error('download closed before the end'));
    if (!out.writableNeedDrain) return cb();
    const onDrain = () => {
      out.off('close', onClose);
      cb();
    };
    const onClose = () => {
      out.off('drain', onDrain);
      cb(new Error('download closed before the end'));
    };
    out.once('drain', onDrain);
    out.once('close', onClose);
  };
  return {
    entry(name: string, opts: { mtime?: Date } = {}): Writable {
      const file = new ZipDeflate(name, { level: 6 });
      if (opts.mtime) file.mtime = opts.mtime;
      zip.add(file);
      const w = new Writable({
        write(chunk: Buffer, _enc, cb) {
          file.push(chunk);
          waitForOut(cb);
        },
        final(cb) {
          file.push(new Uint8Array(0), true);
          waitForOut(cb);
        },
      });
      out.once('close', () => {
        if (!w.writableFinished && !w.destroyed) w.destroy(new Error('download closed before the end'));
      });
      return w;
    },
    /** Writes the central directory; `out` ends once it is written. */
    end(): void {
      zip.end();
    },
  };
}

/** Writes a whole buffer or string as one entry and resolves when `out` has taken it. */
export function writeEntry(entry: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    entry.once('error', reject);
    entry.end(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data), () => resolve());
  });
}
