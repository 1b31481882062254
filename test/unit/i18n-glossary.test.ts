import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FILES } from '~/app/_i18n/catalogue';
import { LOCALES, type Locale } from '~/app/_i18n/locale';

const DIR = join(import.meta.dirname, '../../app/_i18n/messages');
type Tree = { [key: string]: string | Tree };

function read(file: string, locale: Locale): Tree {
  return JSON.parse(readFileSync(join(DIR, `${file}.${locale}.json`), 'utf8')) as Tree;
}

function strings(tree: Tree, prefix = ''): [key: string, value: string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : strings(v, `${prefix}${k}.`),
  );
}

/**
 * The other words pages used for a glossary term (the issue: 载荷哈希 on one page, 数据摘要 on
 * another; 访问方 beside 数据使用方). A page string matching one of these names the term by a
 * synonym. When a review finds another synonym, add it here.
 */
const SYNONYMS: Record<string, Record<Locale, RegExp[]>> = {
  provider: {
    zh: [/(?<!数据)提供方(?!式)/, /数据所有方/, /数据拥有方/],
    en: [/\bowners?\b/i, /(?<!data )\bproviders?\b/i],
  },
  consumer: {
    zh: [/访问方(?!式)/, /(?<!数据)使用方(?!式)/, /数据需求方/],
    en: [/\baccessors?\b/i, /(?<!data )\bconsumers?\b/i],
  },
  payloadHash: {
    zh: [/数据摘要/, /数据哈希/, /载荷摘要/],
    en: [/\bdata (digest|hash)\b/i, /\bpayload digest\b/i],
  },
  txHash: { zh: [/交易号/, /交易散列/], en: [/\btx hash\b/i, /\btxid\b/i] },
  incident: { zh: [/风险事件/, /异常(?!事件)/], en: [/\banomal(y|ies)\b/i] },
  highSeverity: { zh: [/高风险/], en: [/\bhigh[- ]risk\b/i] },
  accessMode: { zh: [/访问模式/, /访问类型/], en: [/\baccess (type|kind)\b/i] },
};

const PAGE_FILES = CATALOGUE_FILES.filter((f) => f !== 'glossary');

/**
 * Terms that are labels of a datum (a column, a field): a page shows them through the glossary
 * itself. The others (异常事件, 高危, 访问方式) also head pages and run through sentences, so they
 * are held by the synonym check only.
 */
const LABEL_TERMS = new Set(['provider', 'consumer', 'payloadHash', 'txHash']);

describe('glossary', () => {
  it.each(LOCALES)(
    '%s: every term has a synonym list, and every listed term is in the glossary',
    (locale) => {
      const glossary = read('glossary', locale).glossary as Tree;
      expect(Object.keys(glossary).sort()).toEqual(Object.keys(SYNONYMS).sort());
      for (const term of LABEL_TERMS) expect(glossary).toHaveProperty(term);
    },
  );

  it.each(LOCALES)(
    '%s: no synonym matches its own glossary term (the list cannot refuse the term)',
    (locale) => {
      const glossary = read('glossary', locale).glossary as Record<string, string>;
      const selfHits = Object.entries(SYNONYMS).flatMap(([term, byLang]) =>
        byLang[locale].filter((re) => re.test(glossary[term] ?? '')).map((re) => `${term}: ${re}`),
      );
      expect(selfHits).toEqual([]);
    },
  );

  it.each(LOCALES)("%s: no page's string names a glossary term by a synonym", (locale) => {
    const hits: string[] = [];
    for (const file of PAGE_FILES) {
      for (const [key, value] of strings(read(file, locale))) {
        for (const [term, byLang] of Object.entries(SYNONYMS)) {
          for (const re of byLang[locale]) {
            if (re.test(value))
              hits.push(`${file}.${locale}.json ${key} = "${value}" uses ${re} for ${term}`);
          }
        }
      }
    }
    expect(hits).toEqual([]);
  });

  it.each(LOCALES)(
    '%s: a label that is exactly a glossary term is read from the glossary, not copied',
    (locale) => {
      const terms = new Map(
        Object.entries(read('glossary', locale).glossary as Record<string, string>)
          .filter(([k]) => LABEL_TERMS.has(k))
          .map(([k, v]) => [v, k]),
      );
      const copies = PAGE_FILES.flatMap((file) =>
        strings(read(file, locale))
          .filter(([, v]) => terms.has(v))
          .map(([k, v]) => `${file}.${locale}.json ${k} = "${v}" (glossary.${terms.get(v)})`),
      );
      expect(copies).toEqual([]);
    },
  );

  it('the synonym check fires on the strings the issue found', () => {
    const fires = (locale: Locale, s: string) =>
      Object.values(SYNONYMS).some((byLang) => byLang[locale].some((re) => re.test(s)));
    expect(fires('zh', '数据摘要')).toBe(true);
    expect(fires('zh', '访问方')).toBe(true);
    expect(fires('zh', '访问方式')).toBe(false);
    expect(fires('zh', '待处理高风险事件')).toBe(true);
    expect(fires('en', 'Owner')).toBe(true);
    expect(fires('en', 'Data provider')).toBe(false);
  });
});

describe('the supervision e-mail says what the pages say', () => {
  it('severity and stage words of the mail are the catalogue’s, in both languages', async () => {
    const { SEVERITY_LABELS, STAGE_LABELS } = await import('../../workers/supervision/message');
    for (const locale of LOCALES) {
      const incidents = read('incidents', locale) as { incidents: { severity: Record<string, string> } };
      const supervision = read('supervision', locale) as { supervision: { stages: Record<string, string> } };
      expect(Object.fromEntries(Object.entries(SEVERITY_LABELS).map(([k, l]) => [k, l[locale]]))).toEqual(
        incidents.incidents.severity,
      );
      expect(Object.fromEntries(Object.entries(STAGE_LABELS).map(([k, l]) => [k, l[locale]]))).toEqual(
        supervision.supervision.stages,
      );
    }
  });
});
