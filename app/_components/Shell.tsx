import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { regionName } from '../../domain/regions';
import type { Caller } from '../../server/auth/caller';
import { can, type Action } from '../../server/permissions';
import { signOutAction } from '../_lib/auth-actions';
import { LocaleSwitch } from './LocaleSwitch';
import { NavLinks, type NavItem } from './NavLinks';
import { SkipLink } from './SkipLink';
import styles from './shell.module.css';

/** Every route of DESIGN §8, with the permission that makes it useful to a role. */
const ROUTES: { href: string; key: string; action: Action }[] = [
  { href: '/', key: 'overview', action: 'overview:read' },
  { href: '/flows', key: 'flows', action: 'flows:read' },
  { href: '/adoption', key: 'adoption', action: 'adoption:read' },
  { href: '/incidents', key: 'incidents', action: 'incidents:read' },
  { href: '/supervision', key: 'supervision', action: 'supervision:read' },
  { href: '/chain', key: 'chain', action: 'chain:read' },
  { href: '/verify', key: 'verify', action: 'proof:read' },
  { href: '/orgs', key: 'orgs', action: 'orgs:read' },
  { href: '/reports', key: 'reports', action: 'reports:read' },
  { href: '/admin', key: 'admin', action: 'admin:users' },
];

/** The signed-in frame: left navigation, top bar with user, language and sign-out. */
export async function Shell({ caller, children }: { caller: Caller; children: ReactNode }) {
  const t = await getTranslations();
  const locale = (await getLocale()) === 'en' ? 'en' : 'zh';
  // A link the role may not use is hidden; the page and its data are still guarded server-side.
  const items: NavItem[] = ROUTES.filter((r) => can(caller.role, r.action)).map((r) => ({
    href: r.href,
    label: t(`nav.${r.key}`),
  }));
  const scope = caller.regionCode === null ? t('common.nationwide') : regionName(caller.regionCode, locale);
  return (
    <div className={styles.shell}>
      {/* First in the tab order: straight to the page's content, past the menu and the header. */}
      <SkipLink href="#content">{t('common.skipToContent')}</SkipLink>
      <aside className={styles.side}>
        <div className={styles.brand}>
          <span className={styles.logo}>链</span>
          <span>{t('app.short')}</span>
        </div>
        <NavLinks items={items} />
      </aside>
      <div className={styles.main}>
        <header className={styles.top}>
          <div className={styles.user} data-testid="current-user">
            <strong>{caller.name}</strong>
            <span className="muted">{caller.email}</span>
            <span className="badge">{t(`roles.${caller.role}`)}</span>
            <span className="badge">{scope}</span>
            <Link href="/me">{t('nav.me')}</Link>
          </div>
          <div className="row">
            <LocaleSwitch />
            <form action={signOutAction}>
              <button type="submit">{t('common.signOut')}</button>
            </form>
          </div>
        </header>
        <main id="content" tabIndex={-1} className={styles.content}>
          {children}
        </main>
      </div>
    </div>
  );
}
