import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { reportDeliveries, reportSubscriptions } from '../../db/schema/leadership';
import { reports } from '../../db/schema/reports';
import { writeAudit, type AuditActor } from '../audit';
import { forbidden, invalid, notFound } from '../errors';
import { scopeCondition, type Scope } from '../scope';
import type { ReportFigures } from './figures-types';
import { parseReportPeriod } from './period';
import type { PdfPrinter } from './pdf';
import { reportInScope, reportRegionProblem } from './region';
import { renderReportIn, reportTitle, type ReportLang } from './render';
import { loadPdf, savePdf } from './store';

export type SubscriptionKind = 'month' | 'quarter';

/** What delivery needs of a mailer (workers/mail/mailer.ts fits; server/ does not import workers/). */
export interface MailSender {
  send(m: {
    to: string[];
    subject: string;
    text: string;
    attachments: { filename: string; content: Buffer; contentType: string }[];
  }): Promise<string>;
}

/** Waits after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h, 12 h; then it has failed. */
export const RETRY_DELAYS_MIN = [1, 5, 30, 120, 720] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MIN.length + 1;
/** A claimed delivery is someone's for this long: a crashed sender's claim lapses, it is sent later. */
const CLAIM_MS = 10 * 60_000;

export interface SubscriptionView {
  id: number;
  regionCode: number;
  kind: string;
  lang: string;
  email: string;
  createdAt: Date;
}

export async function listSubscriptions(db: Db, userId: string): Promise<SubscriptionView[]> {
  return db
    .select({
      id: reportSubscriptions.id,
      regionCode: reportSubscriptions.regionCode,
      kind: reportSubscriptions.kind,
      lang: reportSubscriptions.lang,
      email: reportSubscriptions.email,
      createdAt: reportSubscriptions.createdAt,
    })
    .from(reportSubscriptions)
    .where(eq(reportSubscriptions.userId, userId))
    .orderBy(reportSubscriptions.regionCode, reportSubscriptions.kind);
}

/** Subscribes the caller (to their own address unless given) to a region's reports in their scope. */
export async function subscribe(
  db: Db,
  o: {
    scope: Scope;
    actor: AuditActor & { id: string };
    email: string;
    ip?: string | null;
    regionCode: number;
    kind: SubscriptionKind;
    lang: ReportLang;
  },
): Promise<{ id: number }> {
  const problem = reportRegionProblem(o.regionCode);
  if (problem) throw invalid(`regionCode: ${problem}`);
  if (!reportInScope(o.scope, o.regionCode)) throw forbidden('that region is outside your scope');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reportSubscriptions)
      .values({ userId: o.actor.id, regionCode: o.regionCode, kind: o.kind, lang: o.lang, email: o.email })
      .onConflictDoUpdate({
        target: [reportSubscriptions.userId, reportSubscriptions.regionCode, reportSubscriptions.kind],
        set: { lang: o.lang, email: o.email },
      })
      .returning({ id: reportSubscriptions.id });
    if (!row) throw new Error('subscription not stored');
    await writeAudit(tx, {
      actor: o.actor,
      ip: o.ip ?? null,
      action: 'reports.subscribe',
      target: `subscription:${row.id}`,
      details: { regionCode: o.regionCode, kind: o.kind, lang: o.lang, email: o.email },
    });
    return row;
  });
}

export async function unsubscribe(
  db: Db,
  o: { actor: AuditActor & { id: string }; ip?: string | null; id: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(reportSubscriptions)
      .where(and(eq(reportSubscriptions.id, o.id), eq(reportSubscriptions.userId, o.actor.id)))
      .returning({ id: reportSubscriptions.id });
    if (!row) throw notFound(`subscription ${o.id}`);
    await writeAudit(tx, {
      actor: o.actor,
      ip: o.ip ?? null,
      action: 'reports.unsubscribe',
      target: `subscription:${row.id}`,
    });
  });
}

export interface DeliveryView {
  id: number;
  reportId: number;
  regionCode: number;
  period: string;
  email: string;
  lang: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  sentAt: Date | null;
  createdAt: Date;
}

/** Deliveries of reports in the caller's scope, newest first: what /reports shows. */
export async function listDeliveries(db: Db, scope: Scope, limit: number): Promise<DeliveryView[]> {
  return db
    .select({
      id: reportDeliveries.id,
      reportId: reportDeliveries.reportId,
      regionCode: reports.regionCode,
      period: reports.period,
      email: reportSubscriptions.email,
      lang: reportSubscriptions.lang,
      status: reportDeliveries.status,
      attempts: reportDeliveries.attempts,
      lastError: reportDeliveries.lastError,
      nextAttemptAt: reportDeliveries.nextAttemptAt,
      sentAt: reportDeliveries.sentAt,
      createdAt: reportDeliveries.createdAt,
    })
    .from(reportDeliveries)
    .innerJoin(reports, eq(reports.id, reportDeliveries.reportId))
    .innerJoin(reportSubscriptions, eq(reportSubscriptions.id, reportDeliveries.subscriptionId))
    .where(scopeCondition(scope, reports.regionCode))
    .orderBy(desc(reportDeliveries.createdAt), desc(reportDeliveries.id))
    .limit(limit);
}

/**
 * One delivery per subscription of the period's kind whose region got its scheduled report.
 * Idempotent (unique subscription × report): a retried job queues nothing twice. A subscriber
 * disabled since subscribing gets nothing.
 */
export async function enqueueDeliveries(db: Db, o: { period: string; now: Date }): Promise<number> {
  const period = parseReportPeriod(o.period);
  if (!period || period.kind === 'year') return 0;
  const kind: SubscriptionKind = period.kind === 'month' ? 'month' : 'quarter';
  const now = o.now.toISOString();
  const { rows } = await db.execute<{ id: number }>(sql`
    insert into report_deliveries (subscription_id, report_id, next_attempt_at, created_at)
    select s.id, r.id, ${now}::timestamptz, ${now}::timestamptz
      from report_subscriptions s
      join reports r on r.region_code = s.region_code and r.period = ${period.key} and r.trigger = 'scheduled'
      join users u on u.id = s.user_id and not u.disabled
     where s.kind = ${kind}
    on conflict do nothing
    returning id`);
  return rows.length;
}

interface Claimed {
  id: number;
  reportId: number;
  attempts: number;
  email: string;
  lang: ReportLang;
}

/** Takes the next due delivery for CLAIM_MS, so two senders never mail the same one. */
async function claimNext(db: Db, now: Date): Promise<Claimed | null> {
  const { rows } = await db.execute<{
    id: number;
    report_id: number;
    attempts: number;
    email: string;
    lang: string;
  }>(sql`
    update report_deliveries d set next_attempt_at = ${new Date(now.getTime() + CLAIM_MS).toISOString()}::timestamptz
      from report_subscriptions s
     where d.id = (select id from report_deliveries
                    where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
                    order by next_attempt_at, id limit 1 for update skip locked)
       and s.id = d.subscription_id
    returning d.id, d.report_id, d.attempts, s.email, s.lang`);
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    reportId: r.report_id,
    attempts: r.attempts,
    email: r.email,
    lang: r.lang === 'en' ? 'en' : 'zh',
  };
}

/** The PDF in the subscriber's language: the stored one for Chinese, a rendering of its figures otherwise. */
async function pdfFor(db: Db, reportId: number, lang: ReportLang, printer: PdfPrinter) {
  const [r] = await db
    .select({ figures: reports.figures, lang: reports.lang })
    .from(reports)
    .where(eq(reports.id, reportId));
  if (!r) throw notFound(`report ${reportId}`);
  const figures = r.figures as unknown as ReportFigures;
  if (lang === r.lang) {
    const stored = await loadPdf(db, reportId);
    if (stored) return { figures, pdf: stored };
  }
  const pdf = await printer.print(renderReportIn(figures, lang));
  if (lang === r.lang) await savePdf(db, reportId, pdf);
  return { figures, pdf };
}

export interface DeliveryRun {
  sent: number[];
  retrying: number[];
  failed: number[];
}

/**
 * Sends every due delivery. A refusal (or any error) counts an attempt and schedules the next
 * after RETRY_DELAYS_MIN; after MAX_ATTEMPTS the delivery is `failed` and shown so on /reports.
 */
export async function deliverDue(
  db: Db,
  o: { sender: MailSender; printer: PdfPrinter; now: Date; limit?: number },
): Promise<DeliveryRun> {
  const out: DeliveryRun = { sent: [], retrying: [], failed: [] };
  for (let i = 0; i < (o.limit ?? 100); i += 1) {
    const d = await claimNext(db, o.now);
    if (!d) break;
    try {
      const { figures, pdf } = await pdfFor(db, d.reportId, d.lang, o.printer);
      const title = reportTitle(figures, d.lang);
      const messageId = await o.sender.send({
        to: [d.email],
        subject: title,
        text:
          d.lang === 'en'
            ? `${title}\n\nThe report is attached as a PDF. You receive it because you subscribed on Lianjian (/reports).`
            : `${title}\n\n报告见 PDF 附件。您在链监“报告”页订阅了此报告，可在该页退订。`,
        attachments: [
          {
            filename: `lianjian-${figures.region.code}-${figures.period.key}-${d.lang}.pdf`,
            content: pdf,
            contentType: 'application/pdf',
          },
        ],
      });
      await db
        .update(reportDeliveries)
        .set({ status: 'sent', attempts: d.attempts + 1, sentAt: o.now, messageId, lastError: null })
        .where(eq(reportDeliveries.id, d.id));
      out.sent.push(d.id);
    } catch (e) {
      const attempts = d.attempts + 1;
      const delay = RETRY_DELAYS_MIN[attempts - 1];
      const gaveUp = delay === undefined;
      await db
        .update(reportDeliveries)
        .set({
          status: gaveUp ? 'failed' : 'pending',
          attempts,
          lastError: (e instanceof Error ? e.message : String(e)).slice(0, 500),
          nextAttemptAt: new Date(o.now.getTime() + (delay ?? 0) * 60_000),
        })
        .where(eq(reportDeliveries.id, d.id));
      (gaveUp ? out.failed : out.retrying).push(d.id);
    }
  }
  return out;
}
