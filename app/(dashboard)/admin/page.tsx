import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { can } from '../../../server/permissions';
import { getPolicy } from '../../../server/runtime';
import { requireCaller } from '../../_lib/session';
import { AdminConsole } from './AdminConsole';
import { TotpEnrol } from '~/app/_components/TotpEnrol';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('admin') };
}

export default async function AdminPage() {
  const caller = await requireCaller();
  const t = await getTranslations();
  if (!can(caller.role, 'admin:users')) {
    return (
      <section>
        <h1>{t('admin.title')}</h1>
        <p className="panel error">{t('common.forbidden')}</p>
      </section>
    );
  }
  const needsTotp = getPolicy().adminTotp === 'required' && !caller.twoFactorEnabled;
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      {needsTotp ? (
        <TotpEnrol required />
      ) : (
        <AdminConsole selfId={caller.userId} showTotp={!caller.twoFactorEnabled} />
      )}
    </section>
  );
}
