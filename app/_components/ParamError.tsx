import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { issueKey } from '~/app/_lib/plain-error';
import styles from './views.module.css';

/** Shown instead of a page whose URL query does not parse: what is wrong and a way back. */
export async function ParamError({
  title,
  path,
  issues,
}: {
  title: string;
  path: string;
  issues: { param: string; message: string }[];
}) {
  const t = await getTranslations('dash');
  return (
    <section>
      <h1>{title}</h1>
      <div className={styles.errorBox} role="alert" data-testid="param-error">
        <p style={{ marginTop: 0 }}>{t('badParams')}</p>
        <ul>
          {issues.map((i) => (
            <li key={`${i.param}:${i.message}`} data-param={i.param}>
              {t(`paramIssues.${issueKey(i.param, i.message)}`, { param: i.param })}
            </li>
          ))}
        </ul>
        <Link href={path}>{t('resetFilters')}</Link>
      </div>
    </section>
  );
}

export async function Forbidden({ title }: { title: string }) {
  const t = await getTranslations('common');
  return (
    <section>
      <h1>{title}</h1>
      <p className="panel error">{t('forbidden')}</p>
    </section>
  );
}
