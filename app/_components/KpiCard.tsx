'use client';
import { useLocale, useTranslations } from 'next-intl';
import { EChart } from '~/app/_charts/EChart';
import { formatCount, formatMetricChange, formatMetricValue, type Lang } from '~/app/_charts/format';
import { buildSparklineOption } from '~/app/_charts/lines';
import styles from './views.module.css';
import { useMemo } from 'react';
import { Defined, type MetricKey } from './Defined';

/**
 * One KPI: value, change against the previous equal period, optional sparkline. The exact
 * number is in `data-value` and the tooltip, the card shows the readable one (万 / 亿).
 */
export function KpiCard({
  id,
  label,
  value,
  previous,
  display,
  unit,
  spark,
  color,
  footer,
  goodWhenUp = true,
  kind = 'count',
  term,
}: {
  id: string;
  label: string;
  value: number;
  previous?: number;
  /** Pre-formatted display (e.g. a percentage); default: formatCount(value). */
  display?: string;
  unit?: string;
  spark?: number[];
  color?: string;
  footer?: React.ReactNode;
  goodWhenUp?: boolean;
  /** A share (0–1) changes in percentage points and shows its previous value as a percentage. */
  kind?: 'count' | 'share';
  /** The figure's entry in the definitions catalogue, one hover or Tab away on its label. */
  term?: MetricKey;
}) {
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const t = useTranslations('dash');
  const change = previous === undefined ? null : formatMetricChange(kind, value, previous, lang);
  const fmt = (v: number) => formatMetricValue(kind, v, lang);
  const option = useMemo(
    () => (spark && spark.length > 1 ? buildSparklineOption(spark, color) : null),
    [spark, color],
  );
  const dirClass = change
    ? change.dir === 'flat'
      ? styles.flat
      : (change.dir === 'up') === goodWhenUp
        ? styles.up
        : styles.down
    : '';
  return (
    <div className={styles.kpi} data-testid={`kpi-${id}`}>
      <span className={styles.kpiLabel}>{term ? <Defined term={term}>{label}</Defined> : label}</span>
      <span className={styles.kpiValue} data-value={value} title={fmt(value)}>
        {display ?? formatCount(value, lang)}
        {unit && <span className={styles.kpiUnit}>{unit}</span>}
      </span>
      <div className={styles.kpiFoot}>
        {change ? (
          <span className={dirClass} title={`${t('previous')}: ${fmt(previous ?? 0)}`}>
            {change.text === 'new' ? (
              <span className={styles.flat}>{t('noPrevious')}</span>
            ) : (
              <>
                {change.dir === 'up' ? '▲' : change.dir === 'down' ? '▼' : '●'} {change.text}{' '}
                <span className={styles.flat}>{t('vsPrevious')}</span>
              </>
            )}
          </span>
        ) : (
          <span>{footer}</span>
        )}
        {change && footer && <span>{footer}</span>}
      </div>
      {option && <EChart option={option} height={34} label={label} />}
    </div>
  );
}
