import { PassThrough, Readable } from 'node:stream';
import { writeAudit } from '../audit';
import { CSV_BOM, csvRow } from '../csv';
import { auditFilterInput } from '../routers/admin-audit';
import { AUDIT_CSV_COLUMNS, auditCsvValues, iterateAudit } from '../services/audit-log';
import { admitExport, type ExportDeps } from '../exports/gate';
import { drained } from '../exports/hashing-sink';
import { guardStall } from '../exports/stall-guard';
import { authenticate, type AuthenticateDeps } from './authenticate';
import { jsonError } from './limits';

/**
 * GET /api/admin/audit-export?action=&actor=&target=&from=&to= → CSV of the audit log (UTF-8 BOM,
 * formula-safe cells), streamed page by page. The export itself is audited. It counts as an
 * export: the gate's slot, the export pool, and the stall guard (a client that stops reading
 * gives its slot back after EXPORT_STALL_MS).
 */
export function createAuditExportHandler(deps: AuthenticateDeps & ExportDeps) {
  return async (req: Request): Promise<Response> => {
    const a = await authenticate(deps, req, 'audit:read', { audited: true });
    if (!a.ok) return a.response;
    const params = Object.fromEntries(new URL(req.url).searchParams);
    const parsed = auditFilterInput.safeParse(params);
    if (!parsed.success) {
      return jsonError(400, 'BAD_REQUEST', 'invalid filter', {
        fieldErrors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const filter = parsed.data;
    const slot = admitExport(deps, a.caller.userId);
    if (!slot.ok) return slot.response;
    try {
      await writeAudit(deps.db, { actor: a.actor, action: 'audit.export', details: { filter }, ip: a.ip });
    } catch (e) {
      slot.release();
      throw e;
    }

    const out = new PassThrough();
    guardStall(out, deps.exportStallMs);
    const pump = async () => {
      out.write(CSV_BOM + csvRow(AUDIT_CSV_COLUMNS));
      // Pages are read one query at a time (no transaction is held between them).
      for await (const row of iterateAudit(deps.exportDb ?? deps.db, filter, a.scope)) {
        if (!out.write(csvRow(auditCsvValues(row)))) await drained(out);
      }
      out.end();
    };
    pump()
      .catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))))
      .finally(slot.release);

    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="audit-log-${stamp}.csv"`,
        'cache-control': 'no-store',
      },
    });
  };
}
