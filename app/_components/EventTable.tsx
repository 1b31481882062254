import { useTranslations } from 'next-intl';
import type { ChainEventView, EventNames } from '~/server/services/incidents-detail';
import { EventFields } from './EventFields';
import { shanghaiTime, shortHash } from '~/app/_lib/format';
import styles from './records.module.css';

/**
 * Chain events with their proof (tx hash, block, block hash, block time) and decoded fields.
 * `highlight` marks the events an incident rests on inside a longer history.
 */
export function EventTable({
  events,
  names,
  highlight,
  testId,
}: {
  events: ChainEventView[];
  names: EventNames;
  highlight?: Set<string>;
  testId?: string;
}) {
  const t = useTranslations('incidents');
  const g = useTranslations('glossary');
  if (events.length === 0) return <p className="muted">{t('noEvents')}</p>;
  return (
    <div className={styles.tableWrap}>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>{t('event')}</th>
            <th>{t('block')}</th>
            <th>{t('blockTime')}</th>
            <th>{g('txHash')}</th>
            <th>{t('decoded')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const key = `${e.blockNumber}:${e.logIndex}`;
            return (
              <tr key={key} className={highlight?.has(key) ? styles.highlight : undefined}>
                <td>
                  <strong>{t.has(`events.${e.eventName}`) ? t(`events.${e.eventName}`) : e.eventName}</strong>
                  <div className="muted mono">{e.eventName}</div>
                </td>
                <td className="mono">
                  #{e.blockNumber} · {e.logIndex}
                  <div className="muted" title={e.blockHash ?? ''}>
                    {shortHash(e.blockHash)}
                  </div>
                </td>
                <td>{shanghaiTime(e.blockTime)}</td>
                <td className={`mono ${styles.nowrap}`} title={e.txHash}>
                  {shortHash(e.txHash, 10)}
                </td>
                <td>
                  <EventFields args={e.args} names={names} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
