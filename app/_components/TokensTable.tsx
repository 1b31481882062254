'use client';
import { useTranslations } from 'next-intl';
import styles from './forms.module.css';
import { shanghaiTime } from '~/domain/format';

export interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  userEmail: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** API tokens as a table (prefix only, never the token), with a revoke button per active one. */
export function TokensTable(props: {
  tokens: TokenRow[];
  showOwner: boolean;
  onRevoke: (tokenId: number) => void;
  revoking: boolean;
  now?: Date;
}) {
  const t = useTranslations();
  const now = props.now ?? new Date();
  return (
    <div className={styles.tableWrap}>
      <table>
        <thead>
          <tr>
            <th>{t('admin.tokenName')}</th>
            <th>{t('admin.prefix')}</th>
            {props.showOwner && <th>{t('admin.owner')}</th>}
            <th>{t('admin.createdAt')}</th>
            <th>{t('admin.expiresAt')}</th>
            <th>{t('admin.lastUsed')}</th>
            <th>{t('admin.status')}</th>
            <th>{t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((k) => {
            const expired = k.expiresAt !== null && k.expiresAt <= now;
            return (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                {props.showOwner && <td>{k.userEmail}</td>}
                <td>{shanghaiTime(k.createdAt)}</td>
                <td>{k.expiresAt ? shanghaiTime(k.expiresAt) : '—'}</td>
                <td>{k.lastUsedAt ? shanghaiTime(k.lastUsedAt) : t('admin.never')}</td>
                <td>
                  <span className={`badge ${k.revokedAt || expired ? 'off' : 'ok'}`}>
                    {k.revokedAt ? t('admin.revoked') : expired ? t('admin.expired') : t('admin.active')}
                  </span>
                </td>
                <td>
                  {!k.revokedAt && !expired && (
                    <button onClick={() => props.onRevoke(k.id)} disabled={props.revoking}>
                      {t('admin.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
