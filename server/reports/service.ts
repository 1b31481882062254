import type { Db } from '../../db/client';
import type { AuditActor } from '../audit';
import { forbidden, invalid, notFound, ServiceError } from '../errors';
import type { Scope } from '../scope';
import { countInWindow } from '../services/request-limit';
import { parseReportPeriod } from './period';
import { reportInScope, reportRegionProblem } from './region';
import type { ReportLang } from './render';
import { REPORT_CSS } from './styles';
import { generateAndStore, listReports, loadReport, type ReportListItem } from './store';
import type { ReportFigures } from './figures-types';

/**
 * Reports generated per user per minute. Generating reads every rollup of a period (seconds at
 * the national scale) and stores a document: a few a minute serve a leader comparing regions or
 * languages; a script looping on it would take the database's time from everyone else.
 */
export const REPORT_GENERATE_LIMIT = { max: 5, windowMs: 60_000 } as const;

/**
 * What the router calls: the caller's scope decides. A leader scoped to a province may report on
 * that province or its cities; only nation-scoped callers may report on the nation (region 0).
 */
export async function generateForCaller(
  db: Db,
  scope: Scope,
  actor: AuditActor,
  input: { regionCode: number; period: string; lang?: ReportLang; ip?: string | null; now?: Date },
): Promise<{ id: number; figuresSha256: string }> {
  const problem = reportRegionProblem(input.regionCode);
  if (problem) throw invalid(`regionCode: ${problem}`);
  if (!parseReportPeriod(input.period)) throw invalid('period: must be YYYY-MM, YYYY-Qn or YYYY');
  if (!reportInScope(scope, input.regionCode)) throw forbidden('that region is outside your scope');
  const now = (input.now ?? new Date()).getTime();
  const n = await countInWindow(
    db,
    `reports.generate:${actor.id ?? actor.label}`,
    REPORT_GENERATE_LIMIT.windowMs,
    now,
  );
  if (n > REPORT_GENERATE_LIMIT.max) {
    throw new ServiceError(
      'too_many',
      `at most ${REPORT_GENERATE_LIMIT.max} reports may be generated per minute; wait a minute, ` +
        'or open one already generated from the list',
    );
  }
  const r = await generateAndStore(db, {
    regionCode: input.regionCode,
    period: input.period,
    trigger: 'manual',
    lang: input.lang,
    actor,
    ip: input.ip ?? null,
    now: input.now,
  });
  // Manual reports never conflict (only scheduled ones are unique), so the row is there.
  if (r.id === null) throw new Error('report not stored');
  return { id: r.id, figuresSha256: r.figuresSha256 };
}

export function listForCaller(
  db: Db,
  scope: Scope,
  q: { regionCode?: number; period?: string; limit: number },
) {
  return listReports(db, scope, q);
}

export interface ReportView extends ReportListItem {
  figures: ReportFigures;
  /** The stored document's <article>: what the page shows (and prints) inside the dashboard. */
  bodyHtml: string;
  css: string;
}

export async function viewForCaller(db: Db, scope: Scope, id: number): Promise<ReportView> {
  const r = await loadReport(db, scope, id);
  if (!r) throw notFound(`report ${id}`);
  const start = r.html.indexOf('<article');
  const end = r.html.lastIndexOf('</article>');
  const { html: _html, ...rest } = r;
  return {
    ...rest,
    bodyHtml: start >= 0 && end > start ? r.html.slice(start, end + '</article>'.length) : '',
    css: REPORT_CSS,
  };
}
