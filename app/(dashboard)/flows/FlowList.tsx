'use client';
import { useTranslations } from 'next-intl';
import { useRef, useState, type KeyboardEvent } from 'react';
import { formatExact, type Lang } from '~/app/_charts/format';
import type { FlowRow } from '~/app/_charts/sankey';
import styles from '~/app/_components/views.module.css';
import { Defined } from '~/app/_components/Defined';

/**
 * The Sankey's flows as a list beside it: the chart is a canvas, so this is the keyboard's (and a
 * screen reader's) way into it. One Tab stop (roving tabindex): ↑/↓/Home/End move, Enter selects,
 * and the chart highlights the same flow a click would.
 */
export function FlowList({
  flows,
  selected,
  onSelect,
  lang,
}: {
  flows: readonly FlowRow[];
  selected: { source: string; target: string } | null;
  onSelect: (f: FlowRow) => void;
  lang: Lang;
}) {
  const t = useTranslations('flows');
  const isSel = (f: FlowRow) => selected?.source === f.source && selected.target === f.target;
  const selIndex = flows.findIndex(isSel);
  const [active, setActive] = useState(Math.max(0, selIndex));
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const current = Math.min(active, Math.max(0, flows.length - 1));

  const move = (i: number) => {
    const n = Math.max(0, Math.min(flows.length - 1, i));
    setActive(n);
    buttons.current[n]?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const to =
      e.key === 'ArrowDown'
        ? i + 1
        : e.key === 'ArrowUp'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? flows.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    move(to);
  };

  return (
    <div className={styles.flowList}>
      <p className={styles.hint} id="flow-list-hint">
        {t('flowListHint')}
      </p>
      <div className={styles.tableWrap}>
        <table data-testid="flow-list" aria-describedby="flow-list-hint">
          <thead>
            <tr>
              <th>{t('flow')}</th>
              <th className={styles.num}>
                <Defined term="flowRecords">{t('recordCount')}</Defined>
              </th>
              <th className={styles.num}>
                <Defined term="flowAccesses">{t('accesses')}</Defined>
              </th>
            </tr>
          </thead>
          <tbody>
            {flows.map((f, i) => (
              <tr
                key={`${f.source}>${f.target}`}
                className={`${styles.clickable} ${isSel(f) ? styles.selected : ''}`}
                onClick={() => onSelect(f)}
                data-testid="flow-row"
              >
                <td>
                  <button
                    type="button"
                    ref={(el) => {
                      buttons.current[i] = el;
                    }}
                    className={styles.rowButton}
                    tabIndex={i === current ? 0 : -1}
                    aria-pressed={isSel(f)}
                    onFocus={() => setActive(i)}
                    onKeyDown={(e) => onKey(e, i)}
                    onClick={(e) => {
                      // The row's own click handler selects; do not select twice.
                      e.stopPropagation();
                      onSelect(f);
                    }}
                  >
                    {f.label}
                  </button>
                </td>
                <td className={styles.num}>{formatExact(f.records, lang)}</td>
                <td className={styles.num}>{formatExact(f.accesses, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
