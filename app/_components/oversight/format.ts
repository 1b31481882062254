import { RULES, type RuleId } from '../../../domain/rules';

export type Lang = 'zh' | 'en';

export const toLang = (locale: string): Lang => (locale === 'en' ? 'en' : 'zh');

/** Times display in Asia/Shanghai (DESIGN §1); the database stores UTC. */
export function shanghaiTime(d: Date | string | null | undefined): string {
  if (!d) return '';
  return new Date(d).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** `0x1234…abcd`: enough of a hash to recognise it; the full value is in the title/link. */
export function shortHash(h: string | null | undefined, keep = 6): string {
  if (!h) return '';
  return h.length <= keep * 2 + 2 ? h : `${h.slice(0, keep + 2)}…${h.slice(-4)}`;
}

/** Fen (分, an integer string or number) as yuan with two decimals, without float rounding. */
export function yuan(fen: string | number | bigint | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const s = BigInt(fen).toString().padStart(3, '0');
  const whole = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `¥${whole}.${s.slice(-2)}`;
}

export function ruleLabel(rule: string, lang: Lang): string {
  return (RULES as Record<string, (typeof RULES)[RuleId] | undefined>)[rule]?.[lang] ?? rule;
}
