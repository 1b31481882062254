'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { FormEvent } from 'react';
import { labelOf, ORG_KINDS } from '../../../domain/codes';
import { regionName } from '../../../domain/regions';
import { RegionSelect } from '~/app/_components/RegionSelect';
import { Defined } from '~/app/_components/Defined';
import { shortHash, toLang } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { formText } from '../../_lib/form';
import { useTRPC } from '../../_lib/trpc/react';

const PAGE = 50;
const KEYS = ['kind', 'region', 'search'] as const;

/** `scope`: the caller's region; the region filter offers only what lies inside it. */
export function OrgsView({ scope }: { scope: number | null }) {
  const t = useTranslations('orgs');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const num = (k: string) =>
    search.get(k) && /^\d+$/.test(search.get(k) ?? '') ? Number(search.get(k)) : undefined;
  const offset = num('offset') ?? 0;
  const input = {
    kind: num('kind'),
    region: num('region'),
    search: search.get('search')?.trim() || undefined,
    limit: PAGE,
    offset,
  };
  const q = useQuery(trpc.orgs.list.queryOptions(input));
  const go = (next: URLSearchParams) => {
    const s = next.toString();
    router.replace(s ? `${pathname}?${s}` : pathname, { scroll: false });
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of KEYS) {
      const v = formText(f, k).trim();
      if (v) next.set(k, v);
    }
    go(next);
  };
  const page = (to: number) => {
    const next = new URLSearchParams(search.toString());
    if (to > 0) next.set('offset', String(to));
    else next.delete('offset');
    go(next);
  };
  const total = q.data?.total ?? 0;

  return (
    <div className="stack">
      <form key={search.toString()} className={`panel ${styles.filters}`} onSubmit={submit}>
        <label>
          {t('kind')}
          <select name="kind" defaultValue={search.get('kind') ?? ''}>
            <option value="">{t('all')}</option>
            {Object.entries(ORG_KINDS).map(([k, l]) => (
              <option key={k} value={k}>
                {l[lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('region')}
          <RegionSelect scope={scope} allLabel={t('all')} defaultValue={search.get('region') ?? ''} />
        </label>
        <label>
          {t('search')}
          <input name="search" defaultValue={search.get('search') ?? ''} placeholder={t('searchHint')} />
        </label>
        <div className="row">
          <button className="primary" type="submit">
            {t('apply')}
          </button>
        </div>
      </form>
      {q.error && <p className="panel error">{q.error.message}</p>}
      <div className={styles.tableWrap}>
        <table data-testid="org-list">
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('kind')}</th>
              <th>{t('region')}</th>
              <th>{t('active')}</th>
              <th>
                <Defined term="orgDatasets">{t('datasetsOwned')}</Defined>
              </th>
              <th>
                <Defined term="orgGrantsGiven">{t('grantsGiven')}</Defined>
              </th>
              <th>
                <Defined term="orgAccessesMade">{t('accessesMade')}</Defined>
              </th>
              <th>{t('address')}</th>
            </tr>
          </thead>
          <tbody>
            {q.data?.rows.map((o) => (
              <tr key={`${o.chainId}:${o.address}`}>
                <td>
                  <Link href={`/orgs/${o.address}`}>{o.name}</Link>
                </td>
                <td>{labelOf(ORG_KINDS, o.kind, lang)}</td>
                <td>{regionName(o.regionCode, lang)}</td>
                <td>
                  {o.active ? (
                    <span className="badge ok">{t('yes')}</span>
                  ) : (
                    <span className="badge off">{t('no')}</span>
                  )}
                </td>
                <td>{o.datasetsOwned}</td>
                <td>{o.grantsGiven}</td>
                <td>{o.accessesMade}</td>
                <td className="mono" title={o.address}>
                  {shortHash(o.address)}
                </td>
              </tr>
            ))}
            {q.data && q.data.rows.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  {t('empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="row">
        <span className="muted">
          {t('range', { from: total ? offset + 1 : 0, to: Math.min(offset + PAGE, total), total })}
        </span>
        <button type="button" disabled={offset === 0} onClick={() => page(Math.max(0, offset - PAGE))}>
          {t('prev')}
        </button>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => page(offset + PAGE)}>
          {t('next')}
        </button>
      </div>
    </div>
  );
}
