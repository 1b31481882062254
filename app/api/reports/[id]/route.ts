import { createReportDownloadHandler } from '../../../../server/reports/download-handler';
import { runtimeDeps } from '../../../../server/runtime';

// A download is per caller and may print a PDF: never cached or pre-rendered.
export const dynamic = 'force-dynamic';

/**
 * GET /api/reports/:id?format=pdf|html|json. The handler (authenticateRequest's checks, scope,
 * audit, printing) lives in server/reports/download-handler.ts so tests call it without Next.js.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return createReportDownloadHandler(runtimeDeps())(req, id);
}
