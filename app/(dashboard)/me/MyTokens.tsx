'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { formText } from '../../_lib/form';
import { useTRPC } from '../../_lib/trpc/react';
import styles from '~/app/_components/forms.module.css';
import { TokensTable } from '~/app/_components/TokensTable';

const LIFETIMES = [30, 90, 180, 365] as const;
const DAY_MS = 86_400_000;

/** The caller's own API tokens: mint (shown once), list, revoke. */
export function MyTokens() {
  const t = useTranslations();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tokens = useQuery(trpc.me.tokens.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.me.tokens.list.queryKey() });
  const create = useMutation(trpc.me.tokens.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.me.tokens.revoke.mutationOptions({ onSuccess: refresh }));

  const onCreate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const days = Number(formText(f, 'days'));
    create.mutate({ name: formText(f, 'name'), expiresAt: new Date(Date.now() + days * DAY_MS) });
  };

  return (
    <div className="stack">
      <form className={`panel ${styles.form}`} onSubmit={onCreate}>
        <label>
          {t('admin.tokenName')}
          <input name="name" required maxLength={100} />
        </label>
        <label>
          {t('me.lifetime')}
          <select name="days" defaultValue="90">
            {LIFETIMES.map((d) => (
              <option key={d} value={d}>
                {t('me.days', { n: d })}
              </option>
            ))}
          </select>
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
      <TokensTable
        tokens={tokens.data ?? []}
        showOwner={false}
        onRevoke={(tokenId) => revoke.mutate({ tokenId })}
        revoking={revoke.isPending}
      />
    </div>
  );
}
