import { createAuditExportHandler } from '../../../../server/http/audit-export';
import { runtimeDeps } from '../../../../server/runtime';

/** GET /api/admin/audit-export?action=&actor=&target=&from=&to= — CSV of the audit log. */
export function GET(req: Request): Promise<Response> {
  return createAuditExportHandler(runtimeDeps())(req);
}
