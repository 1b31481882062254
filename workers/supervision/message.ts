import { dayOf, previousDay } from '../../domain/calendar';
import type { Label } from '../../domain/codes';
import { regionName } from '../../domain/regions';
import { RULES, type RuleId } from '../../domain/rules';

export type NoticeKind = 'yellow' | 'red' | 'escalated';

export interface NoticeFacts {
  kind: NoticeKind;
  incidentId: number;
  rule: string;
  severity: string;
  /**
   * The incident's summary in each language (domain/incident-summary.ts `incidentSummary`):
   * rendered from its facts, or its stored Chinese text in both when it has none.
   */
  summary: { zh: string; en: string };
  regionCode: number;
  responsibleName: string;
  responsibleOrg: string;
  stage: string;
  dueAt: Date;
  escalationLevel: number;
  supervisingRegion: number | null;
}

/** The words of the web app's catalogue (incidents.severity, supervision.stages); a unit test keeps them equal. */
export const SEVERITY_LABELS: Record<string, Label> = {
  high: { zh: '高', en: 'High' },
  medium: { zh: '中', en: 'Medium' },
  low: { zh: '低', en: 'Low' },
};
export const STAGE_LABELS: Record<string, Label> = {
  assigned: { zh: '已交办，待签收', en: 'Handed over, awaiting acknowledgement' },
  signed: { zh: '已签收，办理中', en: 'Acknowledged, in progress' },
  answered: { zh: '已反馈，待审核', en: 'Answered, awaiting review' },
  returned: { zh: '已退回，待重新反馈', en: 'Returned, awaiting a new answer' },
  closed: { zh: '已办结', en: 'Closed' },
};

type Lang = 'zh' | 'en';
const said = (table: Record<string, Label>, key: string, lang: Lang) => table[key]?.[lang] ?? key;
const level = (r: number | null, lang: Lang) =>
  r === null ? (lang === 'zh' ? '全国' : 'the nation') : regionName(r, lang);

/** The last working day of the deadline, as the department reads it (Asia/Shanghai). */
export const lastDay = (dueAt: Date) => previousDay(dayOf(dueAt.getTime()));

function subjectOf(f: NoticeFacts, lang: Lang): string {
  const label = RULES[f.rule as RuleId]?.[lang] ?? f.rule;
  const due = lastDay(f.dueAt);
  if (lang === 'zh')
    return f.kind === 'yellow'
      ? `【督办提醒】事件 #${f.incidentId} ${label}：办理期限将于 ${due} 届满`
      : f.kind === 'red'
        ? `【催办】事件 #${f.incidentId} ${label}：已超过办理期限（${due}）`
        : `【督办升级】事件 #${f.incidentId} ${label}：逾期未办结，已升级至${level(f.supervisingRegion, 'zh')}`;
  return f.kind === 'yellow'
    ? `Supervision reminder: incident #${f.incidentId} ${label} is due on ${due}`
    : f.kind === 'red'
      ? `Overdue: incident #${f.incidentId} ${label} was due on ${due}`
      : `Escalated: incident #${f.incidentId} ${label} is overdue and now supervised by ${level(f.supervisingRegion, 'en')}`;
}

function body(f: NoticeFacts, lang: Lang): string[] {
  const label = RULES[f.rule as RuleId]?.[lang] ?? f.rule;
  const due = lastDay(f.dueAt);
  const severity = said(SEVERITY_LABELS, f.severity, lang);
  const stage = said(STAGE_LABELS, f.stage, lang);
  if (lang === 'zh') {
    const lines = [
      `事件：#${f.incidentId} ${label}（${severity}）`,
      `摘要：${f.summary.zh}`,
      `地区：${regionName(f.regionCode, 'zh')}（${f.regionCode}）`,
      `责任单位：${f.responsibleName}（${f.responsibleOrg}）`,
      `办理期限：${due}（工作日计算，含法定节假日与调休）`,
      `当前环节：${stage}`,
    ];
    if (f.kind === 'escalated')
      lines.push(`督办层级：第 ${f.escalationLevel} 级，${level(f.supervisingRegion, 'zh')}`);
    return lines;
  }
  const lines = [
    `Incident: #${f.incidentId} ${label} (severity ${severity})`,
    `Summary: ${f.summary.en}`,
    `Region: ${regionName(f.regionCode, 'en')} (${f.regionCode})`,
    // A registered name stays as registered on chain.
    `Responsible department: ${f.responsibleName} (${f.responsibleOrg})`,
    `Deadline: ${due} (counted in working days, public holidays and make-up working days included)`,
    `Stage: ${stage}`,
  ];
  if (f.kind === 'escalated')
    lines.push(`Supervision level: ${f.escalationLevel}, ${level(f.supervisingRegion, 'en')}`);
  return lines;
}

/**
 * The reminder or escalation e-mail. Users keep no language preference (the UI's language is a
 * cookie of the browser), so the mail says everything in Chinese first and then in English, the
 * summary rendered in each language from the incident's facts; plain text, so every mail client
 * shows it the same. The subject stays Chinese: the users' language and what filters match on.
 */
export function noticeMail(f: NoticeFacts): { subject: string; text: string } {
  const subject = subjectOf(f, 'zh');
  const lines = [
    subject,
    '',
    ...body(f, 'zh'),
    '',
    `查看：/incidents/${f.incidentId}`,
    '',
    '—— English ——',
    subjectOf(f, 'en'),
    '',
    ...body(f, 'en'),
    '',
    `View: /incidents/${f.incidentId}`,
  ];
  return { subject, text: lines.join('\n') };
}
