import { useTranslations } from 'next-intl';
import styles from './records.module.css';

export function SeverityBadge({ severity }: { severity: string }) {
  const t = useTranslations('incidents.severity');
  return (
    <span className={`${styles.sev} ${styles[`sev_${severity}`] ?? ''}`}>
      {t.has(severity) ? t(severity) : severity}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations('incidents.status');
  return (
    <span className={`${styles.status} ${styles[`status_${status}`] ?? ''}`} data-status={status}>
      {t.has(status) ? t(status) : status}
    </span>
  );
}
