import { dayOf, previousDay } from '../../domain/calendar';
import { regionName } from '../../domain/regions';
import { RULES, type RuleId } from '../../domain/rules';

export type NoticeKind = 'yellow' | 'red' | 'escalated';

export interface NoticeFacts {
  kind: NoticeKind;
  incidentId: number;
  rule: string;
  severity: string;
  summary: string;
  regionCode: number;
  responsibleName: string;
  responsibleOrg: string;
  stage: string;
  dueAt: Date;
  escalationLevel: number;
  supervisingRegion: number | null;
}

const level = (r: number | null) => (r === null ? '全国' : regionName(r));

/** The last working day of the deadline, as the department reads it (Asia/Shanghai). */
export const lastDay = (dueAt: Date) => previousDay(dayOf(dueAt.getTime()));

/**
 * The reminder or escalation e-mail, in Chinese (the users' language) with the English line
 * under it for operators; plain text, so every mail client shows it the same.
 */
export function noticeMail(f: NoticeFacts): { subject: string; text: string } {
  const label = RULES[f.rule as RuleId]?.zh ?? f.rule;
  const due = lastDay(f.dueAt);
  const subject =
    f.kind === 'yellow'
      ? `【督办提醒】事件 #${f.incidentId} ${label}：办理期限将于 ${due} 届满`
      : f.kind === 'red'
        ? `【催办】事件 #${f.incidentId} ${label}：已超过办理期限（${due}）`
        : `【督办升级】事件 #${f.incidentId} ${label}：逾期未办结，已升级至${level(f.supervisingRegion)}`;
  const lines = [
    subject,
    '',
    `事件：#${f.incidentId} ${label}（${f.severity}）`,
    `摘要：${f.summary}`,
    `地区：${regionName(f.regionCode)}（${f.regionCode}）`,
    `责任单位：${f.responsibleName}（${f.responsibleOrg}）`,
    `办理期限：${due}（工作日计算，含法定节假日与调休）`,
    `当前环节：${f.stage}`,
  ];
  if (f.kind === 'escalated')
    lines.push(`督办层级：第 ${f.escalationLevel} 级，${level(f.supervisingRegion)}`);
  lines.push(
    '',
    `查看：/incidents/${f.incidentId}`,
    '',
    `Lianjian supervision ${f.kind}: incident #${f.incidentId}, due ${due}.`,
  );
  return { subject, text: lines.join('\n') };
}
