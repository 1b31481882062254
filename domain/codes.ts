/** The codes of DESIGN §2 with their Chinese and English labels. */
export interface Label {
  zh: string;
  en: string;
}

export const ORG_KINDS = {
  0: { zh: '其他', en: 'Other' },
  1: { zh: '公安', en: 'Public security' },
  2: { zh: '民政', en: 'Civil affairs' },
  3: { zh: '人社', en: 'Human resources & social security' },
  4: { zh: '自然资源/不动产', en: 'Natural resources / real estate' },
  5: { zh: '税务', en: 'Taxation' },
  6: { zh: '市场监管', en: 'Market regulation' },
  7: { zh: '卫健', en: 'Health' },
  8: { zh: '财政', en: 'Finance' },
  9: { zh: '水电公用', en: 'Utilities' },
  10: { zh: '数据局', en: 'Data bureau' },
  20: { zh: '企业', en: 'Enterprise' },
  21: { zh: '医院', en: 'Hospital' },
} as const satisfies Record<number, Label>;
export type OrgKind = keyof typeof ORG_KINDS;
export const DEPARTMENT_KINDS: readonly OrgKind[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export const SENSITIVITY = {
  1: { zh: '公开', en: 'Public' },
  2: { zh: '内部', en: 'Internal' },
  3: { zh: '敏感', en: 'Sensitive' },
  4: { zh: '核心', en: 'Core' },
} as const satisfies Record<number, Label>;
export type Sensitivity = keyof typeof SENSITIVITY;

/** Access modes: a grant's `modes` is a bit set of these, an access's `mode` is one bit. */
export const ACCESS_MODES = {
  1: { zh: '数据提交', en: 'Submit' },
  2: { zh: '信息核对', en: 'Verify' },
  4: { zh: '详情查询', en: 'Query' },
  8: { zh: '评估结果', en: 'Assess' },
} as const satisfies Record<number, Label>;
export type AccessMode = keyof typeof ACCESS_MODES;
export const ACCESS_MODE_BITS: readonly AccessMode[] = [1, 2, 4, 8];

export function modesOf(bits: number): AccessMode[] {
  return ACCESS_MODE_BITS.filter((m) => (bits & m) !== 0);
}

/** The modes of a bit set as a list in `lang`: 信息核对、详情查询 / Verify, Query ('' when none). */
export function modesText(bits: number, lang: 'zh' | 'en' = 'zh'): string {
  return modesOf(bits)
    .map((m) => ACCESS_MODES[m][lang])
    .join(lang === 'zh' ? '、' : ', ');
}

/** Dataset categories (数据目录分类). The chain stores a uint16; these are the ones Lianjian names. */
export const DATASET_CATEGORIES = {
  1: { zh: '人口信息', en: 'Population' },
  2: { zh: '法人信息', en: 'Legal entities' },
  3: { zh: '自然资源与不动产', en: 'Natural resources & real estate' },
  4: { zh: '社会保障', en: 'Social security' },
  5: { zh: '医疗健康', en: 'Health' },
  6: { zh: '税务信息', en: 'Taxation' },
  7: { zh: '信用信息', en: 'Credit' },
  8: { zh: '公用事业', en: 'Utilities' },
  9: { zh: '电子证照', en: 'E-certificates' },
  10: { zh: '财政票据', en: 'Fiscal invoices' },
} as const satisfies Record<number, Label>;
export type DatasetCategory = keyof typeof DATASET_CATEGORIES;

/** Purposes of use (用途) declared on a grant and on each access. */
export const PURPOSES = {
  1: { zh: '行政审批', en: 'Administrative approval' },
  2: { zh: '社会救助', en: 'Social assistance' },
  3: { zh: '不动产登记', en: 'Real-estate registration' },
  4: { zh: '税收征管', en: 'Tax administration' },
  5: { zh: '市场监管执法', en: 'Market supervision' },
  6: { zh: '医保结算', en: 'Medical insurance settlement' },
  7: { zh: '信用评估', en: 'Credit assessment' },
  8: { zh: '统计分析', en: 'Statistics' },
} as const satisfies Record<number, Label>;
export type Purpose = keyof typeof PURPOSES;

export const ONLINE_LEVELS = {
  0: { zh: '窗口办理', en: 'Window only' },
  1: { zh: '部分网办', en: 'Partly online' },
  2: { zh: '全程网办', en: 'Fully online' },
} as const satisfies Record<number, Label>;
export type OnlineLevel = keyof typeof ONLINE_LEVELS;

export const CHANNELS = {
  1: { zh: '大厅窗口', en: 'Service-hall window' },
  2: { zh: '网页', en: 'Web' },
  3: { zh: '移动端', en: 'Mobile app' },
} as const satisfies Record<number, Label>;
export type Channel = keyof typeof CHANNELS;

/** A case handled by two or more organisations is a joint case (联办). */
export const JOINT_CASE_MIN_ORGS = 2;

export const CERTIFICATE_TYPES = {
  1: { zh: '营业执照', en: 'Business licence' },
  2: { zh: '身份证', en: 'Identity card' },
  3: { zh: '不动产权证书', en: 'Real-estate title' },
  4: { zh: '社会保障卡', en: 'Social security card' },
  5: { zh: '医师执业证书', en: 'Physician licence' },
  6: { zh: '食品经营许可证', en: 'Food business licence' },
} as const satisfies Record<number, Label>;
export type CertificateType = keyof typeof CERTIFICATE_TYPES;

export function labelOf(table: Record<number, Label>, code: number, lang: 'zh' | 'en' = 'zh'): string {
  return table[code]?.[lang] ?? `#${code}`;
}
