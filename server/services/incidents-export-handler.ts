import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { writeAudit } from '../audit';
import { writeSignedExportZip } from '../exports/bundle';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, type ExportFormat } from '../exports/columns';
import { admitExport, type ExportDeps } from '../exports/gate';
import { EXPORT_FILTER_KEYS, exportFiltersSchema } from '../exports/incidents-query';
import { exportFileName, shanghaiNowIso } from '../exports/manifest';
import { guardStall } from '../exports/stall-guard';
import { writeIncidentExport } from '../exports/write-export';
import { authenticate, type AuthenticateDeps } from '../http/authenticate';
import { jsonError } from '../http/limits';
import { log } from '../logger';
import { loadSigningKey, SigningKeyMissingError, type SigningKey } from '../signing/keys';

const ALLOWED = ['format', 'bundle', ...EXPORT_FILTER_KEYS] as const;

function badRequest(message: string, extra: Record<string, unknown> = {}): Response {
  return jsonError(400, 'BAD_REQUEST', message, extra);
}

/**
 * GET /api/incidents/export?format=csv|xlsx|json&from&to&rule&severity&status&region (DESIGN §6).
 *
 * Session or bearer; the caller's region scope is applied in SQL by writeIncidentExport. Unknown or
 * repeated parameters are a 400 naming them (a mistyped filter must never silently widen an
 * export). The body streams: writeIncidentExport writes pages into a PassThrough whose Web
 * ReadableStream is the response body, and waits for 'drain', so a slow client holds back the
 * query, not memory.
 *
 * Audit, two rows sharing `details.exportId`: `incidents.export` (format, filters, scope) is
 * committed before the first byte, so an export that hands out data is always on record;
 * `incidents.export_done` (rowCount, bytes, sha256) or `incidents.export_failed` (reason, rows
 * sent so far unknown) follows when the stream ends. The log is append-only, hence a second row
 * instead of an update.
 *
 * `bundle=zip` (the page's download links): one ZIP holding the export and its SM2-signed
 * manifest (server/exports/bundle.ts, docs/evidence.md), signed with SIGNING_KEY_FILE. Without
 * it the bare file streams as DESIGN §6 fixes it, for scripts.
 *
 * Resources (docs/security.md, Limits): the rows are read on the export pool (`exportDb`), at most
 * EXPORTS_PER_USER exports run per user (429 beyond) and EXPORT_POOL_SIZE in all (503 beyond), and
 * a client that stops reading for EXPORT_STALL_MS loses the export (its transaction ends).
 */
export function createIncidentExportHandler(
  deps: AuthenticateDeps & ExportDeps & { signingKeyFile?: string },
) {
  return async (req: Request): Promise<Response> => {
    const a = await authenticate(deps, req, 'incidents:export', { audited: true });
    if (!a.ok) return a.response;

    const params: Record<string, string> = {};
    for (const [k, v] of new URL(req.url).searchParams) {
      if (!(ALLOWED as readonly string[]).includes(k))
        return badRequest(`unknown parameter "${k}"; allowed: ${ALLOWED.join(', ')}`);
      if (k in params) return badRequest(`parameter "${k}" given more than once`);
      params[k] = v;
    }
    const { format, bundle, ...rest } = params;
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format))
      return badRequest(`format: must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (bundle !== undefined && bundle !== 'zip') return badRequest('bundle: must be zip');
    let key: SigningKey | null = null;
    if (bundle === 'zip') {
      try {
        key = loadSigningKey(deps.signingKeyFile);
      } catch (e) {
        if (!(e instanceof SigningKeyMissingError)) throw e;
        return jsonError(503, 'SIGNING_KEY_MISSING', 'signed exports are not configured on this server');
      }
    }
    const parsed = exportFiltersSchema.safeParse(rest);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return badRequest(`${first?.path.join('.') || 'filters'}: ${first?.message ?? 'invalid'}`, {
        fieldErrors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const filters = parsed.data;
    const fmt = format as ExportFormat;
    const slot = admitExport(deps, a.caller.userId);
    if (!slot.ok) return slot.response;
    const exportId = randomUUID();
    const base = { actor: a.actor, ip: a.ip, target: null };
    try {
      await writeAudit(deps.db, {
        ...base,
        action: 'incidents.export',
        details: { exportId, format: fmt, filters, scope: a.scope, ...(key ? { bundle: 'zip' } : {}) },
      });
    } catch (e) {
      slot.release();
      throw e;
    }

    const stamp = shanghaiNowIso().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const fileName = exportFileName(fmt, stamp);
    const out = new PassThrough();
    guardStall(out, deps.exportStallMs);
    const db = deps.exportDb ?? deps.db;
    // The ZIP spools each page's evidence as it goes, so a million-row export keeps no row's
    // chain coordinates in memory; the bare file carries no manifest and builds no evidence.
    (key
      ? writeSignedExportZip({
          db,
          format: fmt,
          filters,
          scope: a.scope,
          exportedBy: a.actor,
          key,
          fileName,
          out,
        })
      : writeIncidentExport({
          db,
          format: fmt,
          filters,
          scope: a.scope,
          out,
          evidence: false,
        })
    )
      // The slot is the database work: it is free once the rows are read, whatever the audit does.
      .finally(slot.release)
      .then(
        (r) =>
          writeAudit(deps.db, {
            ...base,
            action: 'incidents.export_done',
            details: {
              exportId,
              format: fmt,
              filters,
              rowCount: r.rowCount,
              bytes: r.bytes,
              sha256: r.sha256,
              sm3: r.sm3,
              ...('manifestSignature' in r ? { manifestSignature: r.manifestSignature } : {}),
            },
          }),
        async (e: unknown) => {
          out.destroy(e instanceof Error ? e : new Error(String(e)));
          await writeAudit(deps.db, {
            ...base,
            action: 'incidents.export_failed',
            details: { exportId, format: fmt, filters, reason: e instanceof Error ? e.message : String(e) },
          });
        },
      )
      .catch((e: unknown) => log().error({ err: e, exportId }, 'incident export audit failed'));

    return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
      headers: {
        'content-type': key ? 'application/zip' : EXPORT_CONTENT_TYPES[fmt],
        'content-disposition': `attachment; filename="${key ? `${fileName}.zip` : fileName}"`,
        'cache-control': 'no-store',
      },
    });
  };
}
