import { writeAudit } from '../audit';
import { authenticate, type AuthenticateDeps } from '../http/authenticate';
import { admitExport, type ExportDeps } from '../exports/gate';
import { jsonError } from '../http/limits';
import { PrintQueueFullError } from './print-queue';
import { loadPdf, loadReport, savePdf } from './store';

export const DOWNLOAD_FORMATS = ['pdf', 'html', 'json'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

const TYPES: Record<DownloadFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface DownloadDeps extends AuthenticateDeps, ExportDeps {
  /** Prints a document to PDF: the process's shared print queue (server/reports/print-queue.ts). */
  print: (html: string) => Promise<Buffer>;
}

/**
 * GET /api/reports/:id?format=pdf|html|json (default pdf). Session or bearer with reports:read;
 * a report outside the caller's scope answers 404 like a missing one. The PDF is printed on first
 * download and kept. HTML opens inline (the printable version); PDF and JSON are attachments.
 * Every download is written to the audit log. A PDF not yet printed counts as an export (the
 * gate: at most EXPORTS_PER_USER at once) and waits for a turn on the shared browser.
 */
export function createReportDownloadHandler(deps: DownloadDeps) {
  return async (req: Request, idParam: string): Promise<Response> => {
    const a = await authenticate(deps, req, 'reports:read', { audited: true });
    if (!a.ok) return a.response;
    const id = Number(idParam);
    if (!Number.isSafeInteger(id) || id <= 0)
      return jsonError(400, 'BAD_REQUEST', 'id: must be a positive integer');
    const format = new URL(req.url).searchParams.get('format') ?? 'pdf';
    if (!(DOWNLOAD_FORMATS as readonly string[]).includes(format))
      return jsonError(400, 'BAD_REQUEST', `format: must be one of ${DOWNLOAD_FORMATS.join(', ')}`);
    const fmt = format as DownloadFormat;
    const report = await loadReport(deps.db, a.scope, id);
    if (!report) return jsonError(404, 'NOT_FOUND', `report ${id} not found`);

    let body: Buffer | string;
    if (fmt === 'json') body = `${JSON.stringify(report.figures, null, 2)}\n`;
    else if (fmt === 'html') body = report.html;
    else {
      let pdf = await loadPdf(deps.db, id);
      if (!pdf) {
        const slot = admitExport(deps, a.caller.userId);
        if (!slot.ok) return slot.response;
        try {
          pdf = await deps.print(report.html);
        } catch (e) {
          if (e instanceof PrintQueueFullError) return jsonError(503, 'PRINTER_BUSY', e.message);
          throw e;
        } finally {
          slot.release();
        }
        await savePdf(deps.db, id, pdf);
      }
      body = pdf;
    }
    await writeAudit(deps.db, {
      actor: a.actor,
      ip: a.ip,
      action: 'reports.download',
      target: `report:${id}`,
      details: { format: fmt, regionCode: report.regionCode, period: report.period },
    });
    const ascii = `lianjian-report-${report.regionCode}-${report.period}.${fmt}`;
    const title = `${report.figures.region.nameZh}${report.figures.period.labelZh}应用成效报告.${fmt}`;
    const disposition = fmt === 'html' ? 'inline' : 'attachment';
    return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': TYPES[fmt],
        'content-disposition': `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(title)}`,
        'cache-control': 'private, no-store',
      },
    });
  };
}
