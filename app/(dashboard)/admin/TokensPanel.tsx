'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { formText } from '../../_lib/form';
import { useTRPC } from '../../_lib/trpc/react';
import styles from './admin.module.css';
import { shanghaiTime } from '~/domain/format';

export function TokensPanel() {
  const t = useTranslations();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const tokens = useQuery(trpc.admin.tokens.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.tokens.list.queryKey() });
  const create = useMutation(trpc.admin.tokens.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.admin.tokens.revoke.mutationOptions({ onSuccess: refresh }));

  const onCreate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({ userId: formText(f, 'userId'), name: formText(f, 'name') });
  };

  return (
    <div className="stack">
      <form className={`panel ${styles.form}`} onSubmit={onCreate}>
        <label>
          {t('admin.owner')}
          <select name="userId" required>
            {users.data
              ?.filter((u) => !u.disabled)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('admin.tokenName')}
          <input name="name" required maxLength={100} />
        </label>
        <button className="primary" type="submit" disabled={create.isPending}>
          {t('admin.createToken')}
        </button>
      </form>
      {create.data && (
        <div className={styles.once} data-testid="new-token">
          {t('admin.tokenOnce')} <code>{create.data.token}</code>
        </div>
      )}
      {(create.error ?? revoke.error) && <p className="error">{(create.error ?? revoke.error)?.message}</p>}
      <div className={styles.tableWrap}>
        <table>
          <thead>
            <tr>
              <th>{t('admin.tokenName')}</th>
              <th>{t('admin.prefix')}</th>
              <th>{t('admin.owner')}</th>
              <th>{t('admin.createdAt')}</th>
              <th>{t('admin.lastUsed')}</th>
              <th>{t('admin.status')}</th>
              <th>{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{k.userEmail}</td>
                <td>{shanghaiTime(k.createdAt)}</td>
                <td>{k.lastUsedAt ? shanghaiTime(k.lastUsedAt) : t('admin.never')}</td>
                <td>
                  <span className={`badge ${k.revokedAt ? 'off' : 'ok'}`}>
                    {k.revokedAt ? t('admin.revoked') : t('admin.active')}
                  </span>
                </td>
                <td>
                  {!k.revokedAt && (
                    <button onClick={() => revoke.mutate({ tokenId: k.id })} disabled={revoke.isPending}>
                      {t('admin.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
