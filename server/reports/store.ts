import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { reports } from '../../db/schema/reports';
import { writeAudit, type AuditActor } from '../audit';
import { scopeCondition, type Scope } from '../scope';
import { computeReportFigures, type ReportRequest } from './compose';
import type { ReportFigures } from './figures-types';
import type { PdfPrinter } from './pdf';
import { renderReportIn, type ReportLang } from './render';

export type ReportTrigger = 'manual' | 'cli' | 'scheduled';

export interface GenerateOptions extends ReportRequest {
  trigger: ReportTrigger;
  actor: AuditActor;
  ip?: string | null;
  /** Print the PDF now (scheduled runs); otherwise it is printed on first download. */
  printer?: PdfPrinter;
  /** Language of the stored HTML and PDF (the figures are the same); Chinese by default. */
  lang?: ReportLang;
}

export interface GeneratedReport {
  /** null when a scheduled report of that region and period was already stored (a retried job). */
  id: number | null;
  figures: ReportFigures;
  figuresSha256: string;
  html: string;
  pdf: Buffer | null;
}

/** SHA-256 of the figures' JSON: equal figures ⇒ equal hash (the object is built in a fixed key order). */
export function figuresHash(f: ReportFigures): string {
  return createHash('sha256').update(JSON.stringify(f)).digest('hex');
}

/** Computes, renders and stores one report; the row and its audit entry commit together. */
export async function generateAndStore(db: Db, o: GenerateOptions): Promise<GeneratedReport> {
  const figures = await computeReportFigures(db, o);
  const lang = o.lang ?? 'zh';
  const html = renderReportIn(figures, lang);
  const pdf = o.printer ? await o.printer.print(html) : null;
  const sha = figuresHash(figures);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reports)
      .values({
        chainId: figures.chainId,
        regionCode: figures.region.code,
        period: figures.period.key,
        trigger: o.trigger,
        generatedBy: o.actor.label,
        lang,
        figures: figures as unknown as Record<string, unknown>,
        figuresSha256: sha,
        html,
        pdf,
      })
      // Only the scheduled partial unique index can conflict: a retried job stores nothing twice.
      .onConflictDoNothing()
      .returning({ id: reports.id });
    if (!row) return null;
    await writeAudit(tx, {
      actor: o.actor,
      ip: o.ip ?? null,
      action: 'reports.generate',
      target: `report:${row.id}`,
      details: {
        regionCode: figures.region.code,
        period: figures.period.key,
        trigger: o.trigger,
        lang,
        sha256: sha,
      },
    });
    return row.id;
  });
  return { id, figures, figuresSha256: sha, html, pdf };
}

export interface ReportListItem {
  id: number;
  chainId: number;
  regionCode: number;
  period: string;
  trigger: string;
  generatedBy: string;
  generatedAt: Date;
  figuresSha256: string;
  hasPdf: boolean;
}

const listColumns = {
  id: reports.id,
  chainId: reports.chainId,
  regionCode: reports.regionCode,
  period: reports.period,
  trigger: reports.trigger,
  generatedBy: reports.generatedBy,
  generatedAt: reports.generatedAt,
  figuresSha256: reports.figuresSha256,
  hasPdf: sql<boolean>`${reports.pdf} is not null`,
};

/**
 * Stored reports the caller may read, newest first. Nation reports (region 0) lie outside every
 * region's range, so only nation-scoped callers see them.
 */
export async function listReports(
  db: Db,
  scope: Scope,
  q: { regionCode?: number; period?: string; limit: number },
): Promise<ReportListItem[]> {
  return db
    .select(listColumns)
    .from(reports)
    .where(
      and(
        scopeCondition(scope, reports.regionCode),
        q.regionCode === undefined ? undefined : eq(reports.regionCode, q.regionCode),
        q.period === undefined ? undefined : eq(reports.period, q.period),
      ),
    )
    .orderBy(desc(reports.generatedAt), desc(reports.id))
    .limit(q.limit);
}

export interface StoredReport extends ReportListItem {
  figures: ReportFigures;
  html: string;
}

/** One stored report in the caller's scope, or null (out of scope reads as missing). */
export async function loadReport(db: Db, scope: Scope, id: number): Promise<StoredReport | null> {
  const [row] = await db
    .select({ ...listColumns, figures: reports.figures, html: reports.html })
    .from(reports)
    .where(and(eq(reports.id, id), scopeCondition(scope, reports.regionCode)));
  if (!row) return null;
  return { ...row, figures: row.figures as unknown as ReportFigures };
}

export async function loadPdf(db: Db, id: number): Promise<Buffer | null> {
  const [row] = await db.select({ pdf: reports.pdf }).from(reports).where(eq(reports.id, id));
  return row?.pdf ?? null;
}

/** Keeps the PDF printed on first download, so later downloads hand out the same bytes. */
export async function savePdf(db: Db, id: number, pdf: Buffer): Promise<void> {
  await db
    .update(reports)
    .set({ pdf })
    .where(and(eq(reports.id, id), sql`${reports.pdf} is null`));
}
