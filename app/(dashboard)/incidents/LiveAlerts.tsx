'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import type { IncidentListRow } from '../../../server/services/incidents-list';
import { ruleLabel, toLang } from '~/app/_lib/format';
import styles from '~/app/_components/records.module.css';
import { useTRPC } from '../../_lib/trpc/react';

/** How often the open page asks for new high-severity incidents. */
export const ALERT_POLL_MS = 4_000;

/**
 * Live alerts by polling tRPC (`incidents.latest`) every few seconds rather than SSE: it goes
 * through the same auth, permission and scope middleware as every read, holds no long-lived
 * connection per open tab on the web server, survives proxies that buffer event streams, and the
 * query it runs is one index range scan above a watermark id. The first call only fetches the
 * watermark, so incidents already listed never toast.
 */
export function LiveAlerts({ onRefresh }: { onRefresh: () => void }) {
  const t = useTranslations('incidents');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const [watermark, setWatermark] = useState<number | null>(null);
  const [fresh, setFresh] = useState<IncidentListRow[]>([]);
  const latest = useQuery({
    ...trpc.incidents.latest.queryOptions({ afterId: watermark, severity: 'high' }),
    refetchInterval: ALERT_POLL_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
  useEffect(() => {
    const d = latest.data;
    if (!d) return;
    if (d.rows.length > 0)
      setFresh((prev) => [...d.rows.filter((r) => !prev.some((p) => p.id === r.id)), ...prev]);
    if (d.watermark !== watermark) setWatermark(d.watermark);
  }, [latest.data, watermark]);

  if (fresh.length === 0) return null;
  return (
    <div className={styles.alert} role="alert" data-testid="live-alert">
      <strong>{t('liveTitle', { n: fresh.length })}</strong>
      <span>
        {fresh.slice(0, 3).map((r, i) => (
          <span key={r.id}>
            {i > 0 && '；'}
            <Link href={`/incidents/${r.id}`}>
              #{r.id} {ruleLabel(r.rule, lang)}
            </Link>
          </span>
        ))}
      </span>
      <button
        type="button"
        onClick={() => {
          setFresh([]);
          onRefresh();
        }}
      >
        {t('liveRefresh')}
      </button>
    </div>
  );
}
