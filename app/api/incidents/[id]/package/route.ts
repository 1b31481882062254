import { runtimeDeps } from '../../../../../server/runtime';
import { createIncidentPackageHandler } from '../../../../../server/services/incident-package-handler';

// Per caller, printed and signed on each request: never cached or pre-rendered.
export const dynamic = 'force-dynamic';

/**
 * GET /api/incidents/:id/package — the incident's SM2-signed evidence package (ZIP). The handler
 * lives in server/services/incident-package-handler.ts so tests call it without Next.js.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return createIncidentPackageHandler(runtimeDeps())(req, id);
}
