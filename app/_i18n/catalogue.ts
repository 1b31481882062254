/**
 * The UI strings, one file per page in both languages: `messages/<file>.zh.json` and `.en.json`.
 * Each file holds the top-level namespaces its page's components ask for (`useTranslations('flows')`);
 * a namespace lives in exactly one file (test/unit/i18n-catalogue.test.ts).
 *
 * - `glossary`: the terms several pages name (数据提供方, 数据使用方, 载荷哈希, 交易哈希, 异常事件...).
 *   A label that is a glossary term is read from `glossary`, and no page's string may use another
 *   word for it (test/unit/i18n-glossary.test.ts lists the synonyms it refuses).
 * - `shell`: the frame (app, nav, common, roles) and the widgets several pages show (`dash`: filter
 *   bar, KPI card, loading and error states).
 * - one file per route: the namespaces of that page's views. /adoption holds its targets, silo and
 *   definitions sections; /screen reads the `targets` namespace of /adoption for the same figures.
 */
export const CATALOGUE_FILES = [
  'glossary',
  'shell',
  'login',
  'overview',
  'flows',
  'adoption',
  'chain',
  'incidents',
  'orgs',
  'verify',
  'supervision',
  'reports',
  'screen',
  'admin',
  'me',
] as const;

export type CatalogueFile = (typeof CATALOGUE_FILES)[number];
