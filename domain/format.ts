/**
 * Display formatters shared by the pages, the reports and the incident summaries the workers write.
 * Pure string functions: safe in client components.
 */

/** The two languages of the UI (DESIGN §1: Simplified Chinese, with an English switch). */
export type Lang = 'zh' | 'en';

/** Asia/Shanghai wall time (DESIGN §1; the database stores UTC), in the page's language. */
export function shanghaiTime(d: Date | string | null | undefined, lang: Lang = 'zh'): string {
  if (!d) return '';
  return new Date(d).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
  });
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
