import { writeAudit } from '../audit';
import { HTTP_STATUS, ServiceError } from '../errors';
import { buildIncidentPackage } from '../evidence/package';
import { admitExport, type ExportDeps } from '../exports/gate';
import { authenticate, type AuthenticateDeps } from '../http/authenticate';
import { jsonError } from '../http/limits';
import { PrintQueueFullError } from '../reports/print-queue';
import { loadSigningKey, SigningKeyMissingError, type SigningKey } from '../signing/keys';

export interface PackageDeps extends AuthenticateDeps, ExportDeps {
  signingKeyFile?: string;
  /** Prints the summary to PDF: the process's shared print queue (server/reports/print-queue.ts). */
  print: (html: string) => Promise<Buffer>;
}

/**
 * GET /api/incidents/:id/package — the incident's signed evidence package (ZIP). Session or
 * bearer with incidents:export (who may export incidents may hand one over); another region's
 * incident answers 404 like a missing one. Written to the audit log with the manifest's signature.
 * A package counts as an export (gate, export pool) and prints through the shared queue.
 */
export function createIncidentPackageHandler(deps: PackageDeps) {
  return async (req: Request, idParam: string): Promise<Response> => {
    const a = await authenticate(deps, req, 'incidents:export', { audited: true });
    if (!a.ok) return a.response;
    const id = Number(idParam);
    if (!Number.isSafeInteger(id) || id <= 0)
      return jsonError(400, 'BAD_REQUEST', 'id: must be a positive integer');
    let key: SigningKey;
    try {
      key = loadSigningKey(deps.signingKeyFile);
    } catch (e) {
      if (!(e instanceof SigningKeyMissingError)) throw e;
      return jsonError(
        503,
        'SIGNING_KEY_MISSING',
        'signed evidence packages are not configured on this server',
      );
    }
    const slot = admitExport(deps, a.caller.userId);
    if (!slot.ok) return slot.response;
    let pkg;
    try {
      pkg = await buildIncidentPackage({
        db: deps.exportDb ?? deps.db,
        scope: a.scope,
        id,
        actor: a.actor,
        key,
        print: deps.print,
      });
    } catch (e) {
      if (e instanceof ServiceError) return jsonError(HTTP_STATUS[e.kind], 'NOT_FOUND', e.message);
      if (e instanceof PrintQueueFullError) return jsonError(503, 'PRINTER_BUSY', e.message);
      throw e;
    } finally {
      slot.release();
    }
    await writeAudit(deps.db, {
      actor: a.actor,
      ip: a.ip,
      action: 'incidents.package',
      target: `incident:${id}`,
      details: { events: pkg.events, fingerprint: key.fingerprint, signature: pkg.signature },
    });
    return new Response(pkg.zip as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${pkg.fileName}"`,
        'cache-control': 'private, no-store',
      },
    });
  };
}
