import { getRequestConfig } from 'next-intl/server';
import { cookies } from 'next/headers';
import { LOCALE_COOKIE, toLocale } from './locale';

type Messages = { default: Record<string, unknown> };

/**
 * Locale from the cookie (no locale in the URL: links stay the same in both languages).
 * Messages come in one file per area (shell, dashboard, oversight, leadership), merged by top-level key,
 * so each area's pages edit only their own file.
 */
export default getRequestConfig(async () => {
  const locale = toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  const parts = (await Promise.all([
    import(`./messages/${locale}.json`),
    import(`./messages/dashboard.${locale}.json`),
    import(`./messages/oversight.${locale}.json`),
    import(`./messages/supervision.${locale}.json`),
    import(`./messages/leadership.${locale}.json`),
  ])) as Messages[];
  const messages = Object.assign({}, ...parts.map((p) => p.default)) as Record<string, unknown>;
  return { locale, messages, timeZone: 'Asia/Shanghai' };
});
