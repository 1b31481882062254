export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh';
/** next-intl's conventional cookie name; a year, so the choice sticks across sessions. */
export const LOCALE_COOKIE = 'NEXT_LOCALE';

export function toLocale(v: string | undefined): Locale {
  return v === 'en' ? 'en' : DEFAULT_LOCALE;
}
