/**
 * Display formatters shared by the pages, the reports and the incident summaries the workers write.
 * Pure string functions: safe in client components.
 */

/** The two languages of the UI (DESIGN §1: Simplified Chinese, with an English switch). */
export type Lang = 'zh' | 'en';

/**
 * Asia/Shanghai wall time (DESIGN §1; the database stores UTC): `2026-09-01 23:15:00`, zero-padded,
 * the same in both languages. Locale formats differed (`2026/9/1 23:15:00` beside
 * `01/09/2026, 23:15:00`, a day-month order English readers take either way), and pages that forgot
 * the language mixed them; one unambiguous form ends both. `lang` stays for the callers that pass it.
 */
export function shanghaiTime(d: Date | string | null | undefined, _lang: Lang = 'zh'): string {
  if (!d) return '';
  const t = new Date(d).getTime();
  if (Number.isNaN(t)) return '';
  // China has kept +08:00 all year since 1991: shift and read the UTC fields.
  const s = new Date(t + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

/**
 * `0x123456…abcd`: enough of a hash or address to recognise it; the full value goes in a title,
 * a link or the evidence. `head` counts hex digits after `0x`. Short values stay whole.
 */
export function shortHash(h: string | null | undefined, head = 6, tail = 4): string {
  if (!h) return '';
  return h.length <= head * 2 + 2 ? h : `${h.slice(0, head + 2)}…${h.slice(-tail)}`;
}

/**
 * Fen (分: an integer as string, number or bigint) as yuan with two decimals and thousands
 * separators, never through a float: `¥1,234.50` on pages, `1,234.50 元` in written summaries.
 */
export function yuan(
  fen: string | number | bigint | null | undefined,
  style: 'symbol' | 'unit' = 'symbol',
): string {
  if (fen === null || fen === undefined) return '';
  const v = BigInt(fen);
  const abs = v < 0n ? -v : v;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  const sign = v < 0n ? '-' : '';
  return style === 'symbol' ? `${sign}¥${whole}.${cents}` : `${sign}${whole}.${cents} 元`;
}
