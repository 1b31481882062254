import { dayOf, nextDay, previousDay, startOfDay, type WorkCalendar } from './calendar';
import { isProvinceCode } from './regions';
import type { RuleId, Severity } from './rules';

/**
 * 督办 (supervision): an incident handed to the department responsible for it, with a deadline in
 * working days. The one home of the stages, who moves them, the deadline arithmetic and the
 * responsible-department rule; server/ and workers/ both import from here.
 */

/**
 * Stages of a case. 交办 creates it (`assigned`); 签收 → `signed`; 反馈 → `answered` (waiting for
 * the regulator: the deadline pauses); 审核 either accepts (`closed`, 办结) or returns it
 * (`returned`, back to the department with reasons, which answers again).
 */
export const CASE_STAGES = ['assigned', 'signed', 'answered', 'returned', 'closed'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** The moves of the workflow and who makes them: the regulator side or the department. */
export const CASE_ACTIONS = {
  sign: { from: ['assigned'], to: 'signed', by: 'department' },
  answer: { from: ['signed', 'returned'], to: 'answered', by: 'department' },
  accept: { from: ['answered'], to: 'closed', by: 'regulator' },
  return: { from: ['answered'], to: 'returned', by: 'regulator' },
} as const satisfies Record<
  string,
  { from: readonly CaseStage[]; to: CaseStage; by: 'department' | 'regulator' }
>;
export type CaseAction = keyof typeof CASE_ACTIONS;

export function canMove(stage: string, action: CaseAction): boolean {
  return (CASE_ACTIONS[action].from as readonly string[]).includes(stage);
}

/** Working days to answer, by severity (DESIGN §5 severities; configurable per deployment). */
export const DEFAULT_DEADLINE_DAYS: Record<Severity, number> = { high: 3, medium: 5, low: 10 };

export interface SupervisionSettings {
  deadlineDays: Record<Severity, number>;
  /** Share of the time after which a case turns yellow (80 %). */
  warnFraction: number;
  /** Complete working days overdue before a case goes one level up (and again after each further span). */
  escalateAfterDays: number;
}

export const DEFAULT_SUPERVISION_SETTINGS: SupervisionSettings = {
  deadlineDays: DEFAULT_DEADLINE_DAYS,
  warnFraction: 0.8,
  escalateAfterDays: 2,
};

/**
 * The deadline of a case handed over at `handedAt` (ms): the end (24:00 Asia/Shanghai) of the
 * `days`-th working day after the day of hand-over; the hand-over day itself does not count, as in
 * administrative time limits (期间开始的当日不计入). Yellow from the end of the
 * floor(warnFraction × days)-th working day (the hand-over itself for a one-day limit).
 */
export function computeDeadline(
  cal: WorkCalendar,
  handedAt: number,
  days: number,
  warnFraction: number,
): { dueAt: number; warnAt: number } {
  const start = dayOf(handedAt);
  const dueAt = startOfDay(nextDay(cal.addWorkingDays(start, days)));
  const warnDays = Math.floor(warnFraction * days);
  const warnAt = warnDays === 0 ? handedAt : startOfDay(nextDay(cal.addWorkingDays(start, warnDays)));
  return { dueAt, warnAt };
}

/**
 * The deadline after a pause (the case waited for the regulator from `pausedAt` to `resumedAt`):
 * both marks move on by the working days the wait took, counted as working days after the day
 * the wait began up to and including the day it ended.
 */
export function extendForPause(
  cal: WorkCalendar,
  d: { dueAt: number; warnAt: number },
  pausedAt: number,
  resumedAt: number,
): { dueAt: number; warnAt: number; days: number } {
  const days = cal.workingDaysBetween(dayOf(pausedAt), dayOf(resumedAt));
  if (days === 0) return { ...d, days };
  const shift = (at: number) => startOfDay(nextDay(cal.addWorkingDays(previousDay(dayOf(at)), days)));
  return { dueAt: shift(d.dueAt), warnAt: shift(d.warnAt), days };
}

/**
 * Deadline states of the list filter and the figures: open cases are `ontime`, `yellow` or `red`
 * (overdue); closed ones `closed` (on time) or `late`. While a case waits for the regulator its
 * clock stands at the moment of the answer.
 */
export const DEADLINE_STATES = ['ontime', 'yellow', 'red', 'closed', 'late'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

export function deadlineState(
  c: { stage: string; dueAt: number; warnAt: number; answeredAt: number | null; closedLate: boolean | null },
  now: number,
): DeadlineState {
  if (c.stage === 'closed') return c.closedLate ? 'late' : 'closed';
  const at = c.stage === 'answered' && c.answeredAt !== null ? c.answeredAt : now;
  if (at >= c.dueAt) return 'red';
  if (at >= c.warnAt) return 'yellow';
  return 'ontime';
}

/** Complete working days since the deadline passed (0 before it, and on the first overdue day). */
export function overdueWorkingDays(cal: WorkCalendar, dueAt: number, now: number): number {
  if (now < dueAt) return 0;
  // dueAt is 00:00 of the first overdue day: count working days from it up to yesterday.
  return cal.workingDaysBetween(previousDay(dayOf(dueAt)), previousDay(dayOf(now)));
}

/** Escalation steps a case overdue by `overdueDays` has earned (one per `after` days). */
export function escalationsDue(overdueDays: number, after: number): number {
  return after > 0 ? Math.floor(overdueDays / after) : 0;
}

/**
 * The supervising level above a region: district → its city, city → its province, province →
 * the nation (null). The nation has nothing above it.
 */
export function levelAbove(region: number | null): number | null | undefined {
  if (region === null) return undefined;
  if (region === 0 || isProvinceCode(region)) return null;
  if (region % 100 === 0) return Math.floor(region / 10000) * 10000;
  return Math.floor(region / 100) * 100;
}

/**
 * Which party of the evidence answers for each rule (责任单位): the event field naming the org,
 * first registered one wins; else the incident's own org; else none (the regulator chooses).
 * docs/supervision.md explains each.
 */
export const RESPONSIBLE_PARTY: Record<RuleId, readonly string[]> = {
  ACCESS_WITHOUT_GRANT: ['accessor'],
  ACCESS_AFTER_REVOKE: ['accessor'],
  ACCESS_AFTER_EXPIRY: ['accessor'],
  MODE_NOT_GRANTED: ['accessor'],
  PURPOSE_MISMATCH: ['accessor'],
  VOLUME_SPIKE: ['accessor'],
  OFF_HOURS_BULK: ['accessor'],
  CROSS_PROVINCE_SENSITIVE: ['accessor'],
  UNREGISTERED_ACTOR: ['grantor', 'issuer', 'owner'],
  DUPLICATE_REIMBURSEMENT: ['claimant'],
  VOIDED_INVOICE_REIMBURSED: ['claimant'],
  UNKNOWN_INVOICE_REIMBURSED: ['claimant'],
  REIMBURSEMENT_EXCEEDS_AMOUNT: ['claimant'],
  REVOKED_CERTIFICATE_USED: ['verifier'],
  CHAIN_STALLED: [],
  // A log that does not decode names no org; the contract's operator is outside the consortium map.
  MALFORMED_LOG: [],
};

/**
 * The responsible org of an incident: the rule's fields over the evidence events (last event
 * first: it is the one that made the rule fire), then the incident's org, keeping only addresses
 * `isOrg` accepts (registered members).
 */
export function deriveResponsible(
  rule: string,
  evidenceArgs: readonly Record<string, unknown>[],
  incidentOrg: string | null,
  isOrg: (address: string) => boolean,
): string | null {
  const fields = RESPONSIBLE_PARTY[rule as RuleId] ?? [];
  if (rule === 'CHAIN_STALLED') return null;
  for (const args of [...evidenceArgs].reverse())
    for (const f of fields) {
      const v = args[f];
      if (typeof v === 'string' && isOrg(v.toLowerCase())) return v.toLowerCase();
    }
  return incidentOrg && isOrg(incidentOrg) ? incidentOrg : null;
}
