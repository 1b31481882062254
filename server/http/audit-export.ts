import { writeAudit } from '../audit';
import { CSV_BOM, csvRow } from '../csv';
import { auditFilterInput } from '../routers/admin-audit';
import { AUDIT_CSV_COLUMNS, auditCsvValues, iterateAudit } from '../services/audit-log';
import { authenticate, type AuthenticateDeps } from './authenticate';
import { jsonError } from './limits';

/**
 * GET /api/admin/audit-export?action=&actor=&target=&from=&to= → CSV of the audit log (UTF-8 BOM,
 * formula-safe cells), streamed page by page. The export itself is audited.
 */
export function createAuditExportHandler(deps: AuthenticateDeps) {
  return async (req: Request): Promise<Response> => {
    const a = await authenticate(deps, req, 'audit:read');
    if (!a.ok) return a.response;
    const params = Object.fromEntries(new URL(req.url).searchParams);
    const parsed = auditFilterInput.safeParse(params);
    if (!parsed.success) {
      return jsonError(400, 'BAD_REQUEST', 'invalid filter', {
        fieldErrors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const filter = parsed.data;
    await writeAudit(deps.db, { actor: a.actor, action: 'audit.export', details: { filter }, ip: a.ip });

    const encoder = new TextEncoder();
    const rows = iterateAudit(deps.db, filter, a.scope);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(AUDIT_CSV_COLUMNS)));
      },
      async pull(controller) {
        const next = await rows.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(csvRow(auditCsvValues(next.value))));
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="audit-log-${stamp}.csv"`,
        'cache-control': 'no-store',
      },
    });
  };
}
