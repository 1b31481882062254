import type { Kpi, ReportFigures } from './figures-types';
import { count, dayZh, duration, hours, pct, relativeChange } from './format';
import { PREVIOUS_ZH } from './period';
import { peerNounZh } from './region';

type Input = Omit<ReportFigures, 'summaryZh'>;

/** "较上季度提高 4.1 个百分点" for a share. */
function shareChange(k: Kpi, prev: string): string {
  if (k.value === null || k.previous === null) return `${prev}无可比数据`;
  const d = (k.value - k.previous) * 100;
  if (Math.abs(d) < 0.05) return `与${prev}持平`;
  return `较${prev}${d > 0 ? '提高' : '下降'} ${Math.abs(d).toFixed(1)} 个百分点`;
}

/** "较上月增长 12.5%" for a count. */
function countChange(k: Kpi, prev: string): string {
  const r = relativeChange(k.value, k.previous);
  if (r === null) return `${prev}无可比数据`;
  if (Math.abs(r) < 0.05) return `与${prev}持平`;
  return `较${prev}${r > 0 ? '增长' : '减少'} ${Math.abs(r).toFixed(1)}%`;
}

function rank(k: Kpi, noun: string): string {
  return k.rank === null || k.peers === null || k.peers < 2
    ? ''
    : `，在 ${k.peers} ${noun}中排名第 ${k.rank}`;
}

/**
 * The summary paragraph, composed from the figures by template so it can never disagree with
 * them: adoption first (what leadership asks about), then data sharing, then oversight.
 */
export function composeSummary(f: Input): string {
  // A running period is compared with the same days of the previous one (上月同期).
  const prev = f.partial ? `${PREVIOUS_ZH[f.period.kind]}同期` : PREVIOUS_ZH[f.period.kind];
  const noun = f.region.level === 'nation' ? '' : peerNounZh(f.region);
  const k = f.kpis;
  const parts: string[] = [];
  const partial = f.partial
    ? `（未完结：截至${dayZh(f.partial.through)}，共 ${f.partial.days} 天，与${prev}${dayZh(f.previous.from)}至${dayZh(f.previous.to)}相比）`
    : f.dataThrough < f.period.to
      ? `（数据截至${dayZh(f.dataThrough)}）`
      : '';
  const who = `${f.period.labelZh}${partial}，${f.region.nameZh}`;
  if (k.onlineShare.value === null) {
    parts.push(`${who}本期无办件数据。`);
  } else {
    parts.push(
      `${who}网办率为 ${pct(k.onlineShare.value)}，${shareChange(k.onlineShare, prev)}${rank(k.onlineShare, noun)}；` +
        `全程网办事项占比 ${pct(k.fullyOnlineItemsShare.value)}，${shareChange(k.fullyOnlineItemsShare, prev)}${rank(k.fullyOnlineItemsShare, noun)}。`,
    );
    const joint = f.adoption.casesTotal > 0 ? f.adoption.jointCases / f.adoption.casesTotal : null;
    parts.push(
      `本期共办结办件 ${count(k.casesTotal.value)} 件，${countChange(k.casesTotal, prev)}；` +
        `其中联办 ${count(k.jointCases.value)} 件（占 ${pct(joint)}），平均办理时长 ${duration(k.avgHandlingMinutes.value)}。`,
    );
  }
  parts.push(
    `数据共享方面，共发生数据访问 ${count(k.accesses.value)} 次，共享数据 ${count(k.sharedRecords.value)} 条，` +
      `${countChange(k.sharedRecords, prev)}${rank(k.sharedRecords, noun)}；新增授权 ${count(k.newGrants.value)} 项。`,
  );
  const o = f.oversight;
  if (o.incidents === 0) parts.push('监管方面，本期未发现异常事件。');
  else
    parts.push(
      `监管方面，本期发现异常事件 ${count(o.incidents)} 起，${countChange(k.incidents, prev)}；已处置办结 ${count(o.resolved)} 起` +
        (o.medianResolveHours === null ? '。' : `，处置时长中位数 ${hours(o.medianResolveHours)}。`),
    );
  // A chain younger than the previous period makes every change look huge: say so.
  if (f.dataFrom > f.previous.from && f.dataFrom <= f.previous.to)
    parts.push(`注：${prev}链上数据自${dayZh(f.dataFrom)}起，环比仅供参考。`);
  return parts.join('');
}
