'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useTRPC } from '../../_lib/trpc/react';
import { TokensTable } from '~/app/_components/TokensTable';

/**
 * The tokens of users inside the administrator's region: listed and revocable, never minted here
 * (a token made for someone else would be an impersonation that skips their second factor).
 */
export function TokensPanel() {
  const t = useTranslations();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tokens = useQuery(trpc.admin.tokens.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.tokens.list.queryKey() });
  const revoke = useMutation(trpc.admin.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  return (
    <div className="stack">
      <p className="muted">{t('admin.tokensOwnHint')}</p>
      {revoke.error && <p className="error">{revoke.error.message}</p>}
      <TokensTable
        tokens={tokens.data ?? []}
        showOwner
        onRevoke={(tokenId) => revoke.mutate({ tokenId })}
        revoking={revoke.isPending}
      />
    </div>
  );
}
