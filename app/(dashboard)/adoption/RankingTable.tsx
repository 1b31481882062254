'use client';
import { useLocale, useTranslations } from 'next-intl';
import type { RegionCell } from '~/server/services/adoption';
import { formatExact, formatPercent, type Lang } from '~/app/_charts/format';
import styles from '~/app/_components/views.module.css';
import { regionLabel } from '~/app/_lib/labels';
import { metricValue, type Metric } from './metrics';
import { Defined } from '~/app/_components/Defined';

/** Regions ranked by the chosen metric (no data last); a row drills into the province. */
export function RankingTable({
  cells,
  metric,
  onPick,
}: {
  cells: RegionCell[];
  metric: Metric;
  onPick?: (code: number) => void;
}) {
  const t = useTranslations('adoption');
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const sorted = [...cells].sort(
    (a, b) => (metricValue(b, metric) ?? -1) - (metricValue(a, metric) ?? -1) || a.regionCode - b.regionCode,
  );
  return (
    <div className={styles.tableWrap} style={{ maxHeight: 420, overflowY: 'auto' }}>
      <table data-testid="ranking" className={styles.compact}>
        <thead>
          <tr>
            <th>#</th>
            <th>{t('region')}</th>
            <th className={styles.num}>
              <Defined term="onlineShare">{t('metrics.online_share')}</Defined>
            </th>
            <th className={styles.num}>
              <Defined term="fullyOnlineItems">{t('metrics.fully_online_items')}</Defined>
            </th>
            <th className={styles.num}>
              <Defined term="cases">{t('cases')}</Defined>
            </th>
            <th className={styles.num}>
              <Defined term="jointCases">{t('metrics.joint_cases')}</Defined>
            </th>
            <th className={styles.num}>
              <Defined term="sharingVolume">{t('metrics.sharing_volume')}</Defined>
            </th>
            <th className={styles.num}>
              <Defined term="activeOrgs">{t('metrics.active_orgs')}</Defined>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((c, i) => (
            <tr
              key={c.regionCode}
              data-region={c.regionCode}
              className={onPick ? styles.clickable : undefined}
              onClick={onPick ? () => onPick(c.regionCode) : undefined}
            >
              <td>{i + 1}</td>
              <td className={styles.name}>{regionLabel(c.regionCode, lang)}</td>
              <td className={styles.num} data-testid="online-share">
                {formatPercent(c.onlineShare)}
              </td>
              <td className={styles.num}>
                {formatPercent(c.fullyOnlineShare)}
                <span className={styles.hint}>
                  {' '}
                  ({c.itemsFullyOnline}/{c.itemsTotal})
                </span>
              </td>
              <td className={styles.num} data-testid="cases" data-value={c.casesTotal}>
                {formatExact(c.casesTotal, lang)}
              </td>
              <td className={styles.num}>{formatExact(c.jointCases, lang)}</td>
              <td className={styles.num}>{formatExact(c.sharingRecords, lang)}</td>
              <td className={styles.num}>{formatExact(c.activeOrgs, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
