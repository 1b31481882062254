import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { labelOf, modesText } from '~/domain/codes';
import { ADDRESS_FIELDS, CODE_FIELDS, HASH_FIELDS } from '~/domain/event-fields';
import { regionName } from '~/domain/regions';
import type { EventNames } from '~/server/services/incidents-detail';
import { shanghaiTime, shortHash, toLang, yuan, type Lang } from '~/app/_lib/format';
import styles from './records.module.css';

const ADDRESS_KEYS: ReadonlySet<string> = new Set(ADDRESS_FIELDS);
const HASH_KEYS: ReadonlySet<string> = new Set(HASH_FIELDS);

/** One decoded field of a chain event, in words: names for addresses, labels for codes, yuan for fen. */
function fieldValue(key: string, v: string | number, names: EventNames, lang: Lang): ReactNode {
  if (ADDRESS_KEYS.has(key) && typeof v === 'string') {
    const org = names.orgs[v];
    return (
      <Link href={`/orgs/${v}`} title={v}>
        {org ? `${org.name} ` : ''}
        <span className="mono">{shortHash(v)}</span>
      </Link>
    );
  }
  if (key === 'datasetId' && typeof v === 'string')
    return (
      <span title={v}>
        {names.datasets[v] ?? ''} <span className="mono">{shortHash(v)}</span>
      </span>
    );
  if (HASH_KEYS.has(key) && typeof v === 'string')
    return (
      <Link href={`/verify?hash=${v}`} className="mono" title={v}>
        {shortHash(v, 10)}
      </Link>
    );
  const table = CODE_FIELDS[key];
  if (table) return `${labelOf(table, Number(v), lang)} (${v})`;
  if (key === 'modes') return modesText(Number(v), lang) || String(v);
  if (key === 'regionCode') return `${regionName(Number(v), lang)} (${v})`;
  if (key === 'amountFen') return yuan(v);
  if (key === 'validUntil') return shanghaiTime(new Date(Number(v) * 1000));
  return String(v);
}

/** Event fields whose label is a glossary term, so every page names them alike. */
const GLOSSARY_FIELDS: Record<string, 'provider' | 'consumer' | 'payloadHash'> = {
  owner: 'provider',
  accessor: 'consumer',
  payloadHash: 'payloadHash',
};

/** The decoded fields of one event (events.args) with Chinese (or English) labels. */
export function EventFields({ args, names }: { args: Record<string, string | number>; names: EventNames }) {
  const t = useTranslations('incidents.fields');
  const g = useTranslations('glossary');
  const label = (k: string) => {
    const term = GLOSSARY_FIELDS[k];
    if (term) return g(term);
    return t.has(k) ? t(k) : k;
  };
  const lang = toLang(useLocale());
  return (
    <dl className={styles.fields}>
      {Object.entries(args).map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{label(k)}</dt>
          <dd>{fieldValue(k, v, names, lang)}</dd>
        </div>
      ))}
    </dl>
  );
}
