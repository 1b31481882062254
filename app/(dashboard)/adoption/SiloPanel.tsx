'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useMemo } from 'react';
import type { SiloGroup } from '~/server/services/silo';
import { EChart } from '~/app/_charts/EChart';
import { formatExact, formatPercent, type Lang } from '~/app/_charts/format';
import { buildShareLinesOption } from '~/app/_charts/lines';
import { useTRPC } from '~/app/_lib/trpc/react';
import styles from '~/app/_components/views.module.css';
import { kindLabel, regionLabel } from '~/app/_lib/labels';
import { toQuery } from '~/app/_lib/query';
import { QueryBlock } from '~/app/_components/States';
import { Defined } from '~/app/_components/Defined';
import own from './leadership.module.css';

const idx = (v: number | null) => (v === null ? '—' : v.toFixed(1));

/** 信息孤岛指数: the most closed departments and kinds, with the formula next to them. */
export function SiloPanel({ province }: { province?: number }) {
  const t = useTranslations('silo');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const trpc = useTRPC();
  const q = useQuery(trpc.silo.index.queryOptions({ province, top: 10 }));

  const trendOption = useMemo(() => {
    const d = q.data;
    if (!d) return null;
    const months = [...new Set(d.trend.map((p) => p.month))].sort();
    const keys = d.regions.slice(0, 8).map((r) => r.key);
    const at = new Map(d.trend.map((p) => [`${p.key}|${p.month}`, p]));
    return buildShareLinesOption({
      buckets: months,
      lang,
      series: keys.map((k) => ({
        name: regionLabel(k, lang),
        values: months.map((m) => {
          const p = at.get(`${k}|${m}`);
          return p && p.departments > 0 ? p.providers / p.departments : NaN;
        }),
      })),
    });
  }, [q.data, lang]);

  const groupRow = (g: SiloGroup, label: React.ReactNode) => (
    <tr key={g.key} data-key={g.key}>
      <td className={styles.name}>{label}</td>
      <td className={styles.num}>{idx(g.index)}</td>
      <td className={styles.num}>{formatExact(g.departments, lang)}</td>
      <td className={styles.num}>{formatPercent(g.providerShare)}</td>
      <td className={styles.num}>{formatExact(g.consumeOnly, lang)}</td>
      <td className={styles.num}>
        {formatExact(g.datasetsUnused, lang)} / {formatExact(g.datasets, lang)}
      </td>
    </tr>
  );
  const groupHead = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        <th className={styles.num}>
          <Defined term="siloIndex">{t('index')}</Defined>
        </th>
        <th className={styles.num}>
          <Defined term="siloDepartments">{t('departments')}</Defined>
        </th>
        <th className={styles.num}>
          <Defined term="siloProviderShare">{t('providerShare')}</Defined>
        </th>
        <th className={styles.num}>
          <Defined term="siloConsumeOnly">{t('consumeOnly')}</Defined>
        </th>
        <th className={styles.num}>
          <Defined term="siloUnusedDatasets">{t('datasets')}</Defined>
        </th>
      </tr>
    </thead>
  );

  return (
    <div className={styles.card} data-testid="silo">
      <h2>
        {t('title')}
        <span className={styles.hint}>{t('hint')}</span>
      </h2>
      <QueryBlock query={q} height={240} isEmpty={(d) => d.total.departments === 0}>
        {(d) => (
          <>
            <div className={own.kpis}>
              <div>
                <span className={styles.hint}>
                  <Defined term="siloIndex">{t('index')}</Defined>
                </span>
                <strong data-testid="silo-index">{idx(d.total.index)}</strong>
              </div>
              <div>
                <span className={styles.hint}>
                  <Defined term="siloProviderShare">{t('providerShare')}</Defined>
                </span>
                <strong>{formatPercent(d.total.providerShare)}</strong>
              </div>
              <div>
                <span className={styles.hint}>
                  <Defined term="siloConsumeOnly">{t('consumeOnly')}</Defined>
                </span>
                <strong>{formatExact(d.total.consumeOnly, lang)}</strong>
              </div>
              <div>
                <span className={styles.hint}>
                  <Defined term="siloUnusedDatasets">{t('unused')}</Defined>
                </span>
                <strong>
                  {formatExact(d.total.datasetsUnused, lang)} / {formatExact(d.total.datasets, lang)}
                </strong>
              </div>
              <div>
                <span className={styles.hint}>
                  <Defined term="siloGrants">{t('grants')}</Defined>
                </span>
                <strong>
                  {formatExact(d.total.grantsGiven, lang)} / {formatExact(d.total.grantsReceived, lang)}
                </strong>
              </div>
            </div>
            <div className={styles.grid2}>
              <div>
                <h3>{t('closedDepartments')}</h3>
                <div className={styles.tableWrap}>
                  <table data-testid="silo-departments" className={styles.compact}>
                    <thead>
                      <tr>
                        <th>{t('department')}</th>
                        <th>{t('kind')}</th>
                        <th>{t('region')}</th>
                        <th className={styles.num}>
                          <Defined term="siloIndex">{t('index')}</Defined>
                        </th>
                        <th className={styles.num}>
                          <Defined term="siloUnusedDatasets">{t('datasets')}</Defined>
                        </th>
                        <th className={styles.num}>
                          <Defined term="siloGrants">{t('grants')}</Defined>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.departments.map((o) => (
                        <tr key={o.address} data-address={o.address}>
                          <td className={styles.name}>
                            <Link href={`/orgs/${o.address}`}>{o.name}</Link>
                          </td>
                          <td>{kindLabel(o.kind, lang)}</td>
                          <td>{regionLabel(o.regionCode, lang)}</td>
                          <td className={styles.num}>{idx(o.index)}</td>
                          <td className={styles.num}>
                            {o.datasetsUnused} / {o.datasets}
                          </td>
                          <td className={styles.num}>
                            {o.grantsGiven} / {o.grantsReceived}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
              <div>
                <h3>{t('closedKinds')}</h3>
                <div className={styles.tableWrap}>
                  <table data-testid="silo-kinds" className={styles.compact}>
                    {groupHead(t('kind'))}
                    <tbody>
                      {d.kinds.map((g) =>
                        groupRow(
                          g,
                          <Link href={`/orgs${toQuery({ kind: g.key, region: province })}`}>
                            {kindLabel(g.key, lang)}
                          </Link>,
                        ),
                      )}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
            <div className={styles.grid2}>
              <div>
                <h3>{t('byRegion')}</h3>
                <div className={styles.tableWrap} style={{ maxHeight: 320, overflowY: 'auto' }}>
                  <table data-testid="silo-regions" className={styles.compact}>
                    {groupHead(t('region'))}
                    <tbody>
                      {d.regions.map((g) =>
                        groupRow(
                          g,
                          <Link href={`/orgs${toQuery({ region: g.key })}`}>{regionLabel(g.key, lang)}</Link>,
                        ),
                      )}
                    </tbody>
                  </table>
                </div>
              </div>
              <div>
                <h3>
                  <Defined term="siloProviderShare">{t('trend')}</Defined>
                </h3>
                {trendOption && <EChart option={trendOption} height={300} label={t('trend')} />}
              </div>
            </div>
          </>
        )}
      </QueryBlock>
      <p className={own.definition} data-testid="silo-formula">
        {t('formula')}
      </p>
    </div>
  );
}
