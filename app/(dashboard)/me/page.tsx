import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SECOND_FACTOR_ACTIONS, can } from '../../../server/permissions';
import { getPolicy } from '../../../server/runtime';
import { requireCaller } from '../../_lib/session';
import { TotpEnrol } from '~/app/_components/TotpEnrol';
import { MyTokens } from './MyTokens';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('me') };
}

/** 我的账号: the caller's own API tokens (and the second factor their role needs to mint one). */
export default async function MePage() {
  const caller = await requireCaller();
  const t = await getTranslations();
  const needsTotp =
    getPolicy().adminTotp === 'required' &&
    !caller.twoFactorEnabled &&
    SECOND_FACTOR_ACTIONS.some((a) => can(caller.role, a));
  return (
    <section>
      <h1>{t('me.title')}</h1>
      <h2>{t('admin.tokens')}</h2>
      <p className="muted">{t('me.tokensHint')}</p>
      {needsTotp ? <TotpEnrol required /> : <MyTokens />}
    </section>
  );
}
