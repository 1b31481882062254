import { getTranslations } from 'next-intl/server';

/** A page that is not built yet: its title and 建设中. Replaced by the page's own body. */
export async function Placeholder({ titleKey, detail }: { titleKey: string; detail?: string }) {
  const t = await getTranslations();
  return (
    <section>
      <h1>{t(`nav.${titleKey}`)}</h1>
      <div className="panel">
        <p>
          <span className="badge">{t('common.underConstruction')}</span> {t('common.underConstructionHint')}
        </p>
        {detail && <p className="muted mono">{detail}</p>}
      </div>
    </section>
  );
}
