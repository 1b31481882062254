import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import { can } from '../../../server/permissions';
import { requireCaller } from '../../_lib/session';
import { OrgsView } from './OrgsView';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('orgs') };
}

/** 成员机构: consortium members of the caller's scope, filtered by kind, region and name. */
export default async function OrgsPage() {
  const caller = await requireCaller();
  const t = await getTranslations();
  return (
    <section className="stack">
      <h1>{t('orgs.title')}</h1>
      {can(caller.role, 'orgs:read') ? (
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          <OrgsView scope={caller.regionCode} />
        </Suspense>
      ) : (
        <p className="panel error">{t('common.forbidden')}</p>
      )}
    </section>
  );
}
