import { regionName } from '../../domain/regions';
import { incidentRegionLabel, RULES, type RuleId } from '../../domain/rules';
import { escapeHtml } from '../reports/format';
import { formatFingerprint } from '../signing/keys';
import type { IncidentDetail } from '../services/incidents-detail';
import type { PackageEvent } from './package';

const STATUS_ZH: Record<string, string> = {
  open: '待处理',
  acknowledged: '已确认',
  escalated: '已上报',
  resolved: '已办结',
  dismissed: '已驳回',
};
const SEVERITY_ZH: Record<string, string> = { high: '高', medium: '中', low: '低' };

/** A time as people read it in the package: Asia/Shanghai, to the second. */
export function shanghai(d: Date): string {
  return `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;
}

const esc = (v: string | number | null | undefined) =>
  escapeHtml(v === null || v === undefined ? '—' : String(v));

/**
 * The package's readable summary (summary.pdf), in Chinese: what the incident is, the chain events
 * it rests on, its triage history, and how to check the package. Self-contained HTML (no fetches),
 * printed by Chromium like the adoption reports.
 */
export function packageSummaryHtml(p: {
  detail: IncidentDetail;
  events: PackageEvent[];
  exportedBy: string;
  exportedAt: string;
  fingerprint: string;
}): string {
  const i = p.detail.incident;
  const rule = RULES[i.rule as RuleId];
  const region = incidentRegionLabel(i, 'zh', (code) => `${regionName(code)}（${code}）`);
  const org = i.orgAddress ? `${i.orgName ?? '未注册主体'} ${i.orgAddress}` : '—';
  const rows = p.events
    .map(
      (
        e,
        n,
      ) => `<tr><td>${n + 1}</td><td>${e.role === 'evidence' ? '<b>证据</b>' : '关联'}</td><td>${esc(e.eventName)}</td>
<td>${e.blockNumber}<br><span class="mono">${esc(e.blockHash)}</span></td>
<td class="mono">${esc(e.txHash)}<br>日志序号 ${e.logIndex}</td><td>${esc(shanghai(new Date(e.blockTime)))}</td>
<td class="mono small">${Object.entries(e.args)
        .map(([k, v]) => `${esc(k)} = ${esc(v)}`)
        .join('<br>')}</td></tr>`,
    )
    .join('\n');
  const history = p.detail.activity
    .map(
      (a) =>
        `<tr><td>${esc(shanghai(a.at))}</td><td>${esc(a.actor)}</td><td>${esc(a.action)}</td><td>${esc(
          a.fromStatus
            ? `${STATUS_ZH[a.fromStatus] ?? a.fromStatus} → ${STATUS_ZH[a.toStatus ?? ''] ?? a.toStatus}`
            : '',
        )}</td><td>${esc(a.comment ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>事件证据包 #${i.id}</title>
<style>
@page { size: A4; margin: 16mm 14mm 18mm; }
body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif; font-size: 10.5pt; color: #1d2733; }
h1 { font-size: 17pt; margin: 0 0 4mm; } h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #c9d2dc; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #c9d2dc; padding: 1.5mm; vertical-align: top; text-align: left; }
th { background: #eef2f6; } .mono { font-family: 'Noto Sans Mono CJK SC', monospace; font-size: 8pt; word-break: break-all; }
.small { font-size: 8pt; } dl { display: grid; grid-template-columns: 28mm 1fr; gap: 1.5mm 4mm; margin: 0; } dt { color: #5b6775; }
</style></head><body>
<h1>链上事件证据包 · 事件 #${i.id}</h1>
<dl>
<dt>规则</dt><dd>${esc(rule?.zh ?? i.rule)}（${esc(i.rule)}）</dd>
<dt>严重程度</dt><dd>${esc(SEVERITY_ZH[i.severity] ?? i.severity)}</dd>
<dt>状态</dt><dd>${esc(STATUS_ZH[i.status] ?? i.status)}</dd>
<dt>区域</dt><dd>${esc(region)}</dd>
<dt>涉及主体</dt><dd class="mono">${esc(org)}</dd>
<dt>摘要</dt><dd>${esc(i.summary)}</dd>
<dt>发生时间</dt><dd>${esc(shanghai(i.occurredAt))}</dd>
<dt>检测时间</dt><dd>${esc(shanghai(i.detectedAt))}</dd>
<dt>链 ID</dt><dd>${i.chainId}</dd>
<dt>导出人</dt><dd>${esc(p.exportedBy)}，${esc(p.exportedAt)}</dd>
</dl>
<h2>链上事件（${p.events.length} 条）</h2>
<table><thead><tr><th>#</th><th>类别</th><th>事件</th><th>区块</th><th>交易</th><th>区块时间</th><th>解码字段</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>处置记录</h2>
${history ? `<table><thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>状态</th><th>意见</th></tr></thead><tbody>${history}</tbody></table>` : '<p>尚无处置记录。</p>'}
<h2>如何核验</h2>
<p>本证据包由 manifest.jsonl 以国密 SM2 签名（SM3 杂凑，用户标识 1234567812345678），清单列出每个文件的 SM3 与 SHA-256 值及每条链上事件的坐标和解码字段。</p>
<p>签名密钥指纹（SM3）：<span class="mono">${esc(formatFingerprint(p.fingerprint))}</span>，应与本系统“存证核验”页面公布的指纹一致。</p>
<p>离线核验：解压后运行 <span class="mono">node verify.mjs</span>（仅需 Node.js）。对链核验：<span class="mono">npm run cli -- verify-package 包.zip --rpc 节点地址</span>，或在“存证核验”页面上传本包。</p>
</body></html>`;
}
