import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium fonts-noto-cjk); playwright never downloads one. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const FOOTER = `<div style="width:100%;font-size:8px;color:#8a94a3;text-align:center;font-family:'Noto Sans CJK SC',sans-serif">
链监 · 第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>`;

export interface PdfPrinter {
  /** Prints a self-contained HTML document (no network is used) to an A4 PDF. */
  print(html: string): Promise<Buffer>;
  /** False once the browser has crashed or been closed. */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * One Chromium for many reports (the scheduled job prints dozens); each print gets a fresh page.
 * Requests are blocked: the document is self-contained, and a report must never fetch anything.
 */
export async function createPdfPrinter(executablePath = DEFAULT_CHROMIUM): Promise<PdfPrinter> {
  const browser: Browser = await chromium.launch({ executablePath, args: ARGS });
  return {
    async print(html) {
      const page = await browser.newPage();
      try {
        await page.route('**/*', (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        await page.emulateMedia({ media: 'print' });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: '<div></div>',
          footerTemplate: FOOTER,
          preferCSSPageSize: true,
        });
      } finally {
        await page.close();
      }
    },
    connected: () => browser.isConnected(),
    close: () => browser.close(),
  };
}
