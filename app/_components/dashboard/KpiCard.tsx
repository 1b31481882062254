'use client';
import { useLocale, useTranslations } from 'next-intl';
import { EChart } from '../../_charts/EChart';
import { formatChange, formatCount, formatExact, type Lang } from '../../_charts/format';
import { buildSparklineOption } from '../../_charts/lines';
import styles from './dashboard.module.css';
import { useMemo } from 'react';

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
}) {
  const lang: Lang = useLocale() === 'en' ? 'en' : 'zh';
  const t = useTranslations('dash');
  const change = previous === undefined ? null : formatChange(value, previous);
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
      <span className={styles.kpiLabel}>{label}</span>
      <span className={styles.kpiValue} data-value={value} title={formatExact(value, lang)}>
        {display ?? formatCount(value, lang)}
        {unit && <span className={styles.kpiUnit}>{unit}</span>}
      </span>
      <div className={styles.kpiFoot}>
        {change ? (
          <span className={dirClass} title={`${t('previous')}: ${formatExact(previous ?? 0, lang)}`}>
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
