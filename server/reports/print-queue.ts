import { createPdfPrinter, type PdfPrinter } from './pdf';

/** PDFs printed at once by the web process's one Chromium (`PDF_CONCURRENCY`). */
export const DEFAULT_PDF_CONCURRENCY = 2;
/** Prints that may wait for a turn; beyond, the request is refused rather than queued for minutes. */
export const PDF_QUEUE_LIMIT = 50;

export class PrintQueueFullError extends Error {}

export interface PrintQueue {
  /** Prints on the shared browser when a turn is free; rejects with PrintQueueFullError when full. */
  print(html: string): Promise<Buffer>;
  /** Prints running and waiting, and browsers launched so far (1 unless one crashed). */
  stats(): { running: number; waiting: number; launches: number };
  close(): Promise<void>;
}

/**
 * One Chromium for every PDF the web process prints (report downloads, incident packages),
 * launched on the first print, behind a FIFO queue that lets `concurrency` pages print at once.
 * A browser that has crashed or disconnected is launched again on the next print. Before this,
 * every first download launched a Chromium of its own: ten downloads, ten browsers.
 */
export function createPrintQueue(
  opts: { concurrency?: number; maxWaiting?: number; launch?: () => Promise<PdfPrinter> } = {},
): PrintQueue {
  const concurrency = opts.concurrency ?? DEFAULT_PDF_CONCURRENCY;
  const maxWaiting = opts.maxWaiting ?? PDF_QUEUE_LIMIT;
  const launch = opts.launch ?? (() => createPdfPrinter());
  const waiting: (() => void)[] = [];
  let running = 0;
  let launches = 0;
  let printer: Promise<PdfPrinter> | null = null;
  let closed = false;

  const browser = (): Promise<PdfPrinter> => {
    if (!printer) {
      launches += 1;
      printer = launch();
      // A failed launch is not cached: the next print tries again.
      printer.catch(() => (printer = null));
    }
    return printer;
  };

  const turn = (): Promise<void> => {
    if (running < concurrency) {
      running += 1;
      return Promise.resolve();
    }
    if (waiting.length >= maxWaiting)
      return Promise.reject(
        new PrintQueueFullError(`${maxWaiting} PDFs are waiting to print; try again later`),
      );
    // The finishing print hands its turn straight to the first waiter (running stays the same).
    return new Promise((resolve) => waiting.push(resolve));
  };
  const done = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async print(html) {
      if (closed) throw new Error('the print queue is closed');
      await turn();
      try {
        const p = await browser();
        try {
          return await p.print(html);
        } catch (e) {
          // A crashed browser fails every page: drop it so the next print launches a new one.
          if (!p.connected()) printer = null;
          throw e;
        }
      } finally {
        done();
      }
    },
    stats: () => ({ running, waiting: waiting.length, launches }),
    async close() {
      closed = true;
      const p = printer;
      printer = null;
      if (p) await (await p).close();
    },
  };
}
