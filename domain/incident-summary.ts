import { ACCESS_MODES, PURPOSES, SENSITIVITY, modesText, type Label } from './codes';
import { shortHash, yuan, type Lang } from './format';
import { regionName } from './regions';

/**
 * The facts an incident's one-line summary is made of, stored beside it, so each page renders
 * the summary in its own language. The Chinese text is also stored as `summary` (the export's
 * column, DESIGN §6, and the text of incidents detected before facts were kept).
 */
export interface OrgFact {
  /** null when the chain never registered the address */
  name: string | null;
  address: string;
}
export interface DatasetFact {
  title: string | null;
  id: string;
}
export interface RegionOrgFact extends OrgFact {
  regionCode: number;
}

export type GrantMismatch = 'missing' | 'not-grantee' | 'other-dataset';

/** The acting roles of UNREGISTERED_ACTOR, per event (docs/rules.md). */
export const ACTOR_ROLES = {
  grantee: { zh: '被授权方', en: 'grantee' },
  grantor: { zh: '授权方', en: 'grantor' },
  accessor: { zh: '访问方', en: 'accessor' },
  issuer: { zh: '开票方', en: 'issuer' },
  voider: { zh: '作废方', en: 'voiding party' },
  claimant: { zh: '报销单位', en: 'claimant' },
  certIssuer: { zh: '发证机关', en: 'issuing authority' },
  revoker: { zh: '吊销机关', en: 'revoking authority' },
  verifier: { zh: '核验方', en: 'verifier' },
  org: { zh: '办理机构', en: 'handling org' },
} as const satisfies Record<string, Label>;
export type ActorRole = keyof typeof ACTOR_ROLES;

const ACTIONS = {
  AccessGranted: { zh: '数据授权', en: 'Data grant' },
  DataAccessed: { zh: '数据访问', en: 'Data access' },
  InvoiceIssued: { zh: '开具发票', en: 'Invoice issued' },
  InvoiceVoided: { zh: '作废发票', en: 'Invoice voided' },
  InvoiceReimbursed: { zh: '发票报销', en: 'Invoice reimbursed' },
  CertificateIssued: { zh: '签发证照', en: 'Certificate issued' },
  CertificateRevoked: { zh: '吊销证照', en: 'Certificate revoked' },
  CertificateVerified: { zh: '核验证照', en: 'Certificate verified' },
  CaseCompleted: { zh: '办结办件', en: 'Case completed' },
} as const satisfies Record<string, Label>;

export type SummaryFacts =
  | {
      rule: 'ACCESS_WITHOUT_GRANT';
      org: OrgFact;
      dataset: DatasetFact;
      records: number;
      grant: string;
      reason: GrantMismatch;
    }
  | { rule: 'ACCESS_AFTER_REVOKE'; org: OrgFact; dataset: DatasetFact; grant: string; revokedBlock: number }
  | { rule: 'ACCESS_AFTER_EXPIRY'; org: OrgFact; dataset: DatasetFact; grant: string; validUntil: number }
  | { rule: 'MODE_NOT_GRANTED'; org: OrgFact; dataset: DatasetFact; mode: number; grantedModes: number }
  | { rule: 'PURPOSE_MISMATCH'; org: OrgFact; dataset: DatasetFact; purpose: number; grantedPurpose: number }
  | {
      rule: 'VOLUME_SPIKE';
      org: OrgFact;
      dataset: DatasetFact;
      day: string;
      records: number;
      threshold: number;
      activeDays: number;
      median: number;
    }
  | { rule: 'OFF_HOURS_BULK'; org: OrgFact; dataset: DatasetFact; at: number; records: number }
  | {
      rule: 'CROSS_PROVINCE_SENSITIVE';
      org: RegionOrgFact;
      owner: RegionOrgFact;
      dataset: DatasetFact;
      sensitivity: number;
    }
  | {
      rule: 'UNREGISTERED_ACTOR';
      event: string;
      actors: { role: ActorRole; org: OrgFact; deactivated: boolean }[];
    }
  | { rule: 'DUPLICATE_REIMBURSEMENT'; invoice: string; nth: number; org: OrgFact }
  | { rule: 'VOIDED_INVOICE_REIMBURSED'; invoice: string; org: OrgFact; voidedBlock: number }
  | { rule: 'UNKNOWN_INVOICE_REIMBURSED'; invoice: string; org: OrgFact; amountFen: string }
  | {
      rule: 'REIMBURSEMENT_EXCEEDS_AMOUNT';
      invoice: string;
      org: OrgFact;
      totalFen: string;
      amountFen: string;
    }
  /** revokedBlock null: the certificate was never issued */
  | { rule: 'REVOKED_CERTIFICATE_USED'; cert: string; org: OrgFact; revokedBlock: number | null }
  | { rule: 'CHAIN_STALLED'; block: number; gapSeconds: number; usualSeconds: number; factor: number }
  | { rule: 'CHAIN_STALLED_LIVE'; head: number; silentSeconds: number; usualSeconds: number }
  /** `reason` is the decoder's own (English) message, shown as it is in both languages. */
  | { rule: 'MALFORMED_LOG'; contract: string; block: number; logIndex: number; reason: string };

/** `0x12…ab`: enough of a hash or address for one line; the full value is in the evidence. */
const short = (h: string) => shortHash(h, 2, 2);
const label = (table: Record<number, Label>, code: number, lang: Lang, prefix: Label) =>
  table[code]?.[lang] ?? `${prefix[lang]} ${code}`;

function orgName(o: OrgFact): string {
  return o.name ?? short(o.address);
}

function datasetName(d: DatasetFact, lang: Lang): string {
  if (d.title) return lang === 'zh' ? `「${d.title}」(${short(d.id)})` : `"${d.title}" (${short(d.id)})`;
  return lang === 'zh' ? `未登记数据集 ${short(d.id)}` : `unregistered dataset ${short(d.id)}`;
}

/** Seconds as a person says them: 72000 → 20 小时 / 20 h, 95 → 1 分 35 秒 / 1 min 35 s. */
export function duration(seconds: number, lang: Lang): string {
  const u =
    lang === 'zh'
      ? { d: '天', h: '小时', m: '分', s: '秒', sep: ' ' }
      : { d: 'd', h: 'h', m: 'min', s: 's', sep: ' ' };
  if (seconds < 10) return `${seconds.toFixed(2).replace(/\.?0+$/, '')} ${u.s}`;
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    [u.d, 86400],
    [u.h, 3600],
    [u.m, 60],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  // Seconds only while they matter: under an hour.
  if (rest > 0 && seconds < 3600) parts.push(`${rest} ${u.s}`);
  return parts.slice(0, 2).join(u.sep);
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const EN_ORDINAL = (n: number) =>
  `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;

/** `2026-09-01 23:15` in Asia/Shanghai (no DST since 1991: a fixed +08:00). */
function shanghaiMinute(unixSeconds: number): string {
  const s = new Date(unixSeconds * 1000 + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

const MISMATCH = {
  missing: { zh: '授权不存在', en: 'no such grant' },
  'not-grantee': { zh: '访问方不是被授权方', en: 'the accessor is not the grantee' },
  'other-dataset': { zh: '数据集与授权不符', en: 'the grant is for another dataset' },
} as const satisfies Record<GrantMismatch, Label>;

/** The summary of an incident in `lang`, from its facts. */
export function summaryText(f: SummaryFacts, lang: Lang): string {
  const zh = lang === 'zh';
  switch (f.rule) {
    case 'ACCESS_WITHOUT_GRANT':
      return zh
        ? `${orgName(f.org)} 无授权访问 ${datasetName(f.dataset, lang)} ${f.records} 条记录（授权 ${short(f.grant)}：${MISMATCH[f.reason].zh}）`
        : `${orgName(f.org)} accessed ${f.records} records of ${datasetName(f.dataset, lang)} without a grant (grant ${short(f.grant)}: ${MISMATCH[f.reason].en})`;
    case 'ACCESS_AFTER_REVOKE':
      return zh
        ? `${orgName(f.org)} 在授权 ${short(f.grant)} 撤销后访问 ${datasetName(f.dataset, lang)}（撤销于区块 ${f.revokedBlock}）`
        : `${orgName(f.org)} accessed ${datasetName(f.dataset, lang)} after grant ${short(f.grant)} was revoked (in block ${f.revokedBlock})`;
    case 'ACCESS_AFTER_EXPIRY':
      return zh
        ? `${orgName(f.org)} 在授权 ${short(f.grant)} 过期后访问 ${datasetName(f.dataset, lang)}（有效期至 ${shanghaiMinute(f.validUntil)}）`
        : `${orgName(f.org)} accessed ${datasetName(f.dataset, lang)} after grant ${short(f.grant)} expired (valid until ${shanghaiMinute(f.validUntil)})`;
    case 'MODE_NOT_GRANTED': {
      const mode = (bit: number) => label(ACCESS_MODES, bit, lang, { zh: '方式', en: 'mode' });
      const granted = modesText(f.grantedModes, lang) || (zh ? '无' : 'none');
      return zh
        ? `${orgName(f.org)} 以未授权方式「${mode(f.mode)}」访问 ${datasetName(f.dataset, lang)}（授权方式：${granted}）`
        : `${orgName(f.org)} accessed ${datasetName(f.dataset, lang)} in the mode "${mode(f.mode)}" its grant lacks (granted: ${granted})`;
    }
    case 'PURPOSE_MISMATCH': {
      const purpose = (p: number) => label(PURPOSES, p, lang, { zh: '用途', en: 'purpose' });
      return zh
        ? `${orgName(f.org)} 访问 ${datasetName(f.dataset, lang)} 的用途「${purpose(f.purpose)}」与授权用途「${purpose(f.grantedPurpose)}」不符`
        : `${orgName(f.org)} accessed ${datasetName(f.dataset, lang)} for "${purpose(f.purpose)}", not the granted "${purpose(f.grantedPurpose)}"`;
    }
    case 'VOLUME_SPIKE': {
      const what = f.dataset.title ? datasetName(f.dataset, lang) : short(f.dataset.id);
      return zh
        ? `${orgName(f.org)} ${f.day} 访问数据集 ${what} 共 ${f.records} 条记录，超过阈值 ${num(f.threshold)}（此前 ${f.activeDays} 个活跃日中位数 ${num(f.median)}）`
        : `${orgName(f.org)} accessed ${f.records} records of ${what} on ${f.day}, above the threshold of ${num(f.threshold)} (median ${num(f.median)} over the previous ${f.activeDays} active days)`;
    }
    case 'OFF_HOURS_BULK':
      return zh
        ? `${orgName(f.org)} 于 ${shanghaiMinute(f.at)}（北京时间）非工作时间批量访问 ${datasetName(f.dataset, lang)} ${f.records} 条记录`
        : `${orgName(f.org)} accessed ${f.records} records of ${datasetName(f.dataset, lang)} at ${shanghaiMinute(f.at)} (Beijing time), outside working hours`;
    case 'CROSS_PROVINCE_SENSITIVE': {
      const level = label(SENSITIVITY, f.sensitivity, lang, { zh: '敏感级', en: 'level' });
      return zh
        ? `${orgName(f.org)}（${regionName(f.org.regionCode)}）跨省访问${level}数据集 ${datasetName(f.dataset, lang)}，数据方 ${orgName(f.owner)}（${regionName(f.owner.regionCode)}）`
        : `${orgName(f.org)} (${regionName(f.org.regionCode, 'en')}) accessed the ${level.toLowerCase()} dataset ${datasetName(f.dataset, lang)} of ${orgName(f.owner)} (${regionName(f.owner.regionCode, 'en')}) in another province`;
    }
    case 'UNREGISTERED_ACTOR': {
      const action = (ACTIONS as Record<string, Label | undefined>)[f.event]?.[lang] ?? f.event;
      const named = f.actors
        .map(({ role, org, deactivated }) =>
          zh
            ? `${ACTOR_ROLES[role].zh} ${orgName(org)}${deactivated ? '（已注销）' : '（未注册）'}`
            : `${ACTOR_ROLES[role].en} ${orgName(org)} (${deactivated ? 'deactivated' : 'not registered'})`,
        )
        .join(zh ? '，' : '; ');
      return zh ? `${action}：${named}` : `${action}: ${named}`;
    }
    case 'DUPLICATE_REIMBURSEMENT':
      return zh
        ? `发票 ${short(f.invoice)} 第${ZH_DIGITS[f.nth] ?? String(f.nth)}次报销（一票多报），报销单位 ${orgName(f.org)}`
        : `Invoice ${short(f.invoice)} reimbursed a ${EN_ORDINAL(f.nth)} time, by ${orgName(f.org)}`;
    case 'VOIDED_INVOICE_REIMBURSED':
      return zh
        ? `已作废发票 ${short(f.invoice)} 被报销，报销单位 ${orgName(f.org)}（作废于区块 ${f.voidedBlock}）`
        : `Voided invoice ${short(f.invoice)} reimbursed by ${orgName(f.org)} (voided in block ${f.voidedBlock})`;
    case 'UNKNOWN_INVOICE_REIMBURSED':
      return zh
        ? `未开具的发票 ${short(f.invoice)} 被报销 ${yuan(f.amountFen, 'unit')}，报销单位 ${orgName(f.org)}`
        : `Invoice ${short(f.invoice)}, never issued, reimbursed ${yuan(f.amountFen)} by ${orgName(f.org)}`;
    case 'REIMBURSEMENT_EXCEEDS_AMOUNT':
      return zh
        ? `发票 ${short(f.invoice)} 累计报销 ${yuan(f.totalFen, 'unit')}，超过票面金额 ${yuan(f.amountFen, 'unit')}，报销单位 ${orgName(f.org)}`
        : `Invoice ${short(f.invoice)} reimbursed ${yuan(f.totalFen)} in all, above its amount of ${yuan(f.amountFen)}, by ${orgName(f.org)}`;
    case 'REVOKED_CERTIFICATE_USED':
      if (f.revokedBlock === null)
        return zh
          ? `${orgName(f.org)} 核验了未签发的证照 ${short(f.cert)}`
          : `${orgName(f.org)} verified certificate ${short(f.cert)}, which was never issued`;
      return zh
        ? `${orgName(f.org)} 核验了已吊销的证照 ${short(f.cert)}（吊销于区块 ${f.revokedBlock}）`
        : `${orgName(f.org)} verified revoked certificate ${short(f.cert)} (revoked in block ${f.revokedBlock})`;
    case 'CHAIN_STALLED':
      return zh
        ? `区块 ${f.block} 距上一区块 ${duration(f.gapSeconds, lang)}，超过通常出块间隔 ${duration(f.usualSeconds, lang)} 的 ${f.factor} 倍（链曾停止出块）`
        : `Block ${f.block} came ${duration(f.gapSeconds, lang)} after the previous one, more than ${f.factor} × the usual interval of ${duration(f.usualSeconds, lang)} (the chain had stopped)`;
    case 'CHAIN_STALLED_LIVE':
      return zh
        ? `链已 ${duration(f.silentSeconds, lang)} 未出新区块（最新区块 ${f.head}，通常出块间隔 ${duration(f.usualSeconds, lang)}）`
        : `No new block for ${duration(f.silentSeconds, lang)} (latest block ${f.head}, usual interval ${duration(f.usualSeconds, lang)})`;
    case 'MALFORMED_LOG':
      return zh
        ? `合约 ${f.contract} 在区块 ${f.block} 的第 ${f.logIndex} 条日志无法解码：${f.reason}`
        : `malformed log of contract ${f.contract} at block ${f.block} log ${f.logIndex}: ${f.reason}`;
  }
}

/**
 * What a page shows: the summary in the page's language when the incident's facts were kept,
 * else the stored text (incidents detected before facts were kept, and malformed logs).
 */
export function incidentSummary(i: { summary: string; facts?: unknown }, lang: Lang): string {
  const f = i.facts as SummaryFacts | null | undefined;
  if (!f || typeof f !== 'object' || typeof f.rule !== 'string') return i.summary;
  try {
    return summaryText(f, lang);
  } catch {
    return i.summary;
  }
}
