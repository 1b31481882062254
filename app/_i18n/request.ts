import { getRequestConfig } from 'next-intl/server';
import { cookies } from 'next/headers';
import { CATALOGUE_FILES } from './catalogue';
import { LOCALE_COOKIE, toLocale } from './locale';

type Messages = { default: Record<string, unknown> };

/**
 * Locale from the cookie (no locale in the URL: links stay the same in both languages).
 * Messages come in one file per page (`messages/<page>.<locale>.json`, see catalogue.ts), merged by
 * top-level key.
 */
export default getRequestConfig(async () => {
  const locale = toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  const parts = (await Promise.all(
    CATALOGUE_FILES.map((file) => import(`./messages/${file}.${locale}.json`)),
  )) as Messages[];
  const messages = Object.assign({}, ...parts.map((p) => p.default)) as Record<string, unknown>;
  return { locale, messages, timeZone: 'Asia/Shanghai' };
});
