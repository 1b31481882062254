import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { incidentActivity, incidents } from '../../db/schema/incidents';
import { orgs } from '../../db/schema/projections';
import { supervisionCases, supervisionEscalations, supervisionNotices } from '../../db/schema/supervision';
import { loadSupervisionSettings, loadWorkCalendar } from '../../db/supervision-config';
import { incidentSummary } from '../../domain/incident-summary';
import { deadlineState, escalationsDue, levelAbove, overdueWorkingDays } from '../../domain/supervision';
import { signWebhook } from '../alerts/sign';
import type { Mailer } from '../mail/mailer';
import { noticeMail, type NoticeFacts, type NoticeKind } from './message';
import { departmentEmails, regulatorEmails } from './recipients';

export interface SweepDeps {
  db: Db;
  /** null when SMTP_URL is unset: notices are still claimed and sent to the webhook. */
  mailer: Mailer | null;
  webhook: { url: string; secret: string } | null;
  now: Date;
}

export interface SweepResult {
  escalated: number;
  claimed: number;
  sent: number;
  failed: number;
}

/** A notice is tried this many times (one per sweep), then left with its last error for an operator. */
const MAX_ATTEMPTS = 10;
const SYSTEM = 'system';

type SupervisionCase = typeof supervisionCases.$inferSelect;
type Incident = typeof incidents.$inferSelect;

/** The summary in both languages: rendered from the incident's facts, or its stored text when it has none. */
const summaries = (inc: { summary: string; facts: unknown }) => ({
  zh: incidentSummary(inc, 'zh'),
  en: incidentSummary(inc, 'en'),
});

/** What a notice about a case says: the incident, its responsible org (by name where known), the
 * deadline and the escalation level. */
function noticeFacts(
  { c, inc, orgName }: { c: SupervisionCase; inc: Incident; orgName: string | null },
  kind: NoticeKind,
  dueAt: Date,
  escalationLevel: number,
  supervisingRegion: number | null,
): NoticeFacts {
  return {
    kind,
    incidentId: inc.id,
    rule: inc.rule,
    severity: inc.severity,
    summary: summaries(inc),
    regionCode: inc.regionCode,
    responsibleName: orgName ?? c.responsibleOrg,
    responsibleOrg: c.responsibleOrg,
    stage: c.stage,
    dueAt,
    escalationLevel,
    supervisingRegion,
  };
}

/** Cases whose clock runs: handed over, not waiting for the regulator, not closed. */
const RUNNING = ['assigned', 'signed', 'returned'];

/**
 * One pass of 督办: escalates overdue cases one level per `escalateAfterDays` complete overdue
 * working days, claims the yellow / red reminders that are due, then delivers every undelivered
 * notice by e-mail and webhook. Idempotent and safe in any number of processes: an escalation
 * is the insert of its (incident, level) key and a notice the insert of its (incident, kind,
 * deadline) key; only the winner of the insert acts, so restarts never repeat one.
 */
export async function sweepSupervision(d: SweepDeps): Promise<SweepResult> {
  const [cal, settings] = await Promise.all([loadWorkCalendar(d.db), loadSupervisionSettings(d.db)]);
  const now = d.now.getTime();
  const rows = await d.db
    .select({ c: supervisionCases, inc: incidents, orgName: orgs.name })
    .from(supervisionCases)
    .innerJoin(incidents, eq(incidents.id, supervisionCases.incidentId))
    .leftJoin(
      orgs,
      and(eq(orgs.chainId, incidents.chainId), eq(orgs.address, supervisionCases.responsibleOrg)),
    )
    .where(and(inArray(supervisionCases.stage, RUNNING), lt(supervisionCases.warnAt, d.now)));
  let escalated = 0;
  let claimed = 0;
  for (const { c, inc, orgName } of rows) {
    const facts = (kind: NoticeKind, level: number, region: number | null): NoticeFacts =>
      noticeFacts({ c, inc, orgName }, kind, c.dueAt, level, region);
    const state = deadlineState(
      {
        stage: c.stage,
        dueAt: c.dueAt.getTime(),
        warnAt: c.warnAt.getTime(),
        answeredAt: null,
        closedLate: null,
      },
      now,
    );
    const dept = await departmentEmails(d.db, c.responsibleOrg);
    if (state === 'yellow' || state === 'red') {
      const to = state === 'red' ? [...dept, c.handedBy] : dept;
      if (await claim(d, facts(state, c.escalationLevel, c.supervisingRegion), to)) claimed += 1;
    }
    const due = escalationsDue(overdueWorkingDays(cal, c.dueAt.getTime(), now), settings.escalateAfterDays);
    let level = c.escalationLevel;
    let region = c.supervisingRegion;
    while (level < due) {
      const above = levelAbove(region);
      if (above === undefined) break; // already at the nation: nowhere higher to go
      const won = await escalate(d, {
        id: inc.id,
        status: inc.status,
        level: level + 1,
        from: region,
        to: above,
      });
      level += 1;
      region = above;
      if (!won) continue; // another process (or an earlier run) did this one
      escalated += 1;
      const to = [...(await regulatorEmails(d.db, above)), ...dept];
      if (await claim(d, facts('escalated', level, above), to, `escalated-${level}`)) claimed += 1;
    }
  }
  const { sent, failed } = await deliverPending(d);
  return { escalated, claimed, sent, failed };
}

/** Claims one notice (the unique key decides); returns whether this call made the claim. */
async function claim(
  d: SweepDeps,
  f: NoticeFacts,
  recipients: string[],
  kind: string = f.kind,
): Promise<boolean> {
  const [row] = await d.db
    .insert(supervisionNotices)
    .values({
      incidentId: f.incidentId,
      kind,
      dueAt: f.dueAt,
      recipients: [...new Set(recipients)],
      claimedAt: d.now,
    })
    .onConflictDoNothing()
    .returning({ id: supervisionNotices.id });
  return row !== undefined;
}

/** Records one escalation step; the (incident, level) key makes it happen once. */
async function escalate(
  d: SweepDeps,
  p: { id: number; status: string; level: number; from: number | null; to: number | null },
): Promise<boolean> {
  return d.db.transaction(async (tx) => {
    const [won] = await tx
      .insert(supervisionEscalations)
      .values({ incidentId: p.id, level: p.level, fromRegion: p.from, toRegion: p.to, at: d.now })
      .onConflictDoNothing()
      .returning({ level: supervisionEscalations.level });
    if (!won) return false;
    await tx
      .update(supervisionCases)
      .set({ escalationLevel: p.level, supervisingRegion: p.to, updatedAt: d.now })
      .where(and(eq(supervisionCases.incidentId, p.id), lt(supervisionCases.escalationLevel, p.level)));
    // The triage status follows (DESIGN §5: acknowledged → escalated), once.
    const moved = await tx
      .update(incidents)
      .set({ status: 'escalated', updatedAt: d.now })
      .where(and(eq(incidents.id, p.id), eq(incidents.status, 'acknowledged')))
      .returning({ id: incidents.id });
    if (moved.length > 0)
      await tx.insert(incidentActivity).values({
        incidentId: p.id,
        actor: SYSTEM,
        action: 'status',
        fromStatus: 'acknowledged',
        toStatus: 'escalated',
        at: d.now,
      });
    await tx.insert(incidentActivity).values({
      incidentId: p.id,
      actor: SYSTEM,
      action: 'escalate',
      comment: `level ${p.level}: ${p.from ?? 'nation'} → ${p.to ?? 'nation'}`,
      at: d.now,
    });
    return true;
  });
}

/**
 * Sends every claimed, undelivered notice (oldest first); failures stay pending for the next sweep.
 * Each notice is sent inside a transaction holding its row (FOR UPDATE SKIP LOCKED), so two sweeps
 * never send the same one; a crash between the send and the commit can only repeat it, never lose it.
 */
async function deliverPending(d: SweepDeps): Promise<{ sent: number; failed: number }> {
  const pending = await d.db
    .select({ id: supervisionNotices.id })
    .from(supervisionNotices)
    .where(and(isNull(supervisionNotices.sentAt), lt(supervisionNotices.attempts, MAX_ATTEMPTS)))
    .orderBy(supervisionNotices.id)
    .limit(200);
  let sent = 0;
  let failed = 0;
  for (const { id } of pending) {
    const outcome = await d.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ n: supervisionNotices, c: supervisionCases, inc: incidents, orgName: orgs.name })
        .from(supervisionNotices)
        .innerJoin(supervisionCases, eq(supervisionCases.incidentId, supervisionNotices.incidentId))
        .innerJoin(incidents, eq(incidents.id, supervisionNotices.incidentId))
        .leftJoin(
          orgs,
          and(eq(orgs.chainId, incidents.chainId), eq(orgs.address, supervisionCases.responsibleOrg)),
        )
        .where(and(eq(supervisionNotices.id, id), isNull(supervisionNotices.sentAt)))
        .for('update', { of: supervisionNotices, skipLocked: true });
      if (!row) return 'skipped' as const;
      const { n, c, inc, orgName } = row;
      const kind = (n.kind.startsWith('escalated') ? 'escalated' : n.kind) as NoticeKind;
      const level =
        kind === 'escalated' ? Number(n.kind.split('-')[1] ?? c.escalationLevel) : c.escalationLevel;
      const facts = noticeFacts({ c, inc, orgName }, kind, n.dueAt, level, c.supervisingRegion);
      try {
        const mail = noticeMail(facts);
        if (d.mailer && n.recipients.length > 0) await d.mailer.send({ to: n.recipients, ...mail });
        if (d.webhook) await postWebhook(d.webhook, n.id, facts, d.now);
      } catch (e) {
        await tx
          .update(supervisionNotices)
          .set({
            attempts: sql`${supervisionNotices.attempts} + 1`,
            lastError: (e as Error).message.slice(0, 500),
          })
          .where(eq(supervisionNotices.id, n.id));
        return 'failed' as const;
      }
      await tx
        .update(supervisionNotices)
        .set({ sentAt: d.now, attempts: sql`${supervisionNotices.attempts} + 1`, lastError: null })
        .where(eq(supervisionNotices.id, n.id));
      return 'sent' as const;
    });
    if (outcome === 'sent') sent += 1;
    if (outcome === 'failed') failed += 1;
  }
  return { sent, failed };
}

/** The alert webhook (same receiver, same signature scheme as incident alerts), event `supervision.<kind>`. */
async function postWebhook(w: { url: string; secret: string }, noticeId: number, f: NoticeFacts, now: Date) {
  const body = JSON.stringify({
    event: `supervision.${f.kind}`,
    incidentId: f.incidentId,
    rule: f.rule,
    severity: f.severity,
    summary: f.summary.zh,
    summaries: f.summary,
    regionCode: f.regionCode,
    responsibleOrg: f.responsibleOrg,
    dueAt: f.dueAt.toISOString(),
    escalationLevel: f.escalationLevel,
    supervisingRegion: f.supervisingRegion,
  });
  const timestamp = Math.floor(now.getTime() / 1000);
  const res = await fetch(w.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-lianjian-event': `supervision.${f.kind}`,
      'x-lianjian-timestamp': String(timestamp),
      'x-lianjian-signature': signWebhook(w.secret, timestamp, body),
      'x-lianjian-delivery': `supervision-${noticeId}`,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook answered ${res.status}`);
}
