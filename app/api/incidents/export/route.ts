import { runtimeDeps } from '../../../../server/runtime';
import { createIncidentExportHandler } from '../../../../server/services/incidents-export-handler';

// Streams for as long as the export takes; never cached or pre-rendered.
export const dynamic = 'force-dynamic';

/**
 * GET /api/incidents/export?format=csv|xlsx|json&from&to&rule&severity&status&region (DESIGN §6).
 * The handler (session or bearer via authenticate, scope, streaming, audit) lives in
 * server/services/incidents-export-handler.ts so tests call it without Next.js.
 */
export function GET(req: Request): Promise<Response> {
  return createIncidentExportHandler(runtimeDeps())(req);
}
