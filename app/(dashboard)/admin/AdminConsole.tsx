'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { AuditPanel } from './AuditPanel';
import styles from '~/app/_components/forms.module.css';
import { TokensPanel } from './TokensPanel';
import { TotpEnrol } from '~/app/_components/TotpEnrol';
import { UsersPanel } from './UsersPanel';

const TABS = ['users', 'tokens', 'audit'] as const;

export function AdminConsole({ selfId, showTotp }: { selfId: string; showTotp: boolean }) {
  const t = useTranslations('admin');
  const [tab, setTab] = useState<(typeof TABS)[number]>('users');
  return (
    <div className="stack">
      {showTotp && <TotpEnrol required={false} />}
      <div className={styles.tabs} role="tablist">
        {TABS.map((k) => (
          <button
            key={k}
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? styles.tabActive : undefined}
            onClick={() => setTab(k)}
          >
            {t(k)}
          </button>
        ))}
      </div>
      {tab === 'users' && <UsersPanel selfId={selfId} />}
      {tab === 'tokens' && <TokensPanel />}
      {tab === 'audit' && <AuditPanel />}
    </div>
  );
}
