import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import { can } from '../../../server/permissions';
import { requireCaller } from '../../_lib/session';
import { EvidenceVerify, SigningKeys } from './EvidenceVerify';
import { VerifyView } from './VerifyView';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('verify') };
}

/** 存证核验: a hash or a file (hashed in the browser) against the chain. */
export default async function VerifyPage() {
  const caller = await requireCaller();
  const t = await getTranslations();
  return (
    <section className="stack">
      <h1>{t('verify.title')}</h1>
      {can(caller.role, 'proof:read') ? (
        <>
          <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
            <VerifyView />
          </Suspense>
          <EvidenceVerify />
          <SigningKeys />
        </>
      ) : (
        <p className="panel error">{t('common.forbidden')}</p>
      )}
    </section>
  );
}
