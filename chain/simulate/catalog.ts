/**
 * What each kind of department owns, grants and handles: dataset categories with their usual
 * sensitivity, the purpose it declares when it uses others' data, the service items it handles and
 * the certificate types it issues. Codes are those of domain/codes.ts.
 */
export const CATEGORIES_BY_KIND: Record<number, readonly number[]> = {
  1: [1],
  2: [1, 4],
  3: [4],
  4: [3],
  5: [6],
  6: [2, 7],
  7: [5],
  8: [10],
  9: [8],
  10: [9, 7],
};

/** Sensitivity choices per category (1 public … 4 core); the first is the most common. */
export const SENSITIVITY_BY_CATEGORY: Record<number, readonly number[]> = {
  1: [3, 4, 3],
  2: [1, 2, 1],
  3: [3, 2, 3],
  4: [3, 3, 2],
  5: [4, 3, 4],
  6: [3, 2, 3],
  7: [1, 2, 1],
  8: [2, 1, 2],
  9: [2, 3, 2],
  10: [2, 1, 2],
};

export const PURPOSE_BY_KIND: Record<number, number> = {
  1: 1,
  2: 2,
  3: 6,
  4: 3,
  5: 4,
  6: 5,
  7: 6,
  8: 7,
  9: 1,
  10: 8,
};

/** Usual grant mode sets: verify only, verify+query, submit, query+assess, …, all four rarely. */
export const MODE_SETS: readonly number[] = [2, 2, 6, 6, 1, 12, 14, 4, 3, 15];

export interface ServiceItem {
  itemCode: number;
  name: string;
  /** Department kind that completes the case. */
  kind: number;
  /** Joint items (联办) involve 2–4 organisations, e.g. real-estate transfer with utility transfer. */
  joint: boolean;
  popularity: number;
}

export const SERVICE_ITEMS: readonly ServiceItem[] = [
  { itemCode: 1001, name: '户籍迁移', kind: 1, joint: false, popularity: 3 },
  { itemCode: 1002, name: '居民身份证换领', kind: 1, joint: false, popularity: 5 },
  { itemCode: 2001, name: '婚姻登记', kind: 2, joint: false, popularity: 2 },
  { itemCode: 2002, name: '最低生活保障申请', kind: 2, joint: false, popularity: 1 },
  { itemCode: 3001, name: '社会保障卡申领', kind: 3, joint: false, popularity: 4 },
  { itemCode: 3002, name: '养老保险关系转移', kind: 3, joint: false, popularity: 2 },
  { itemCode: 4001, name: '不动产转移登记（含水电气过户）', kind: 4, joint: true, popularity: 3 },
  { itemCode: 4002, name: '不动产抵押登记', kind: 4, joint: false, popularity: 2 },
  { itemCode: 5001, name: '税务登记', kind: 5, joint: false, popularity: 2 },
  { itemCode: 5002, name: '个人所得税汇算', kind: 5, joint: false, popularity: 4 },
  { itemCode: 6001, name: '企业开办（一件事）', kind: 6, joint: true, popularity: 3 },
  { itemCode: 6002, name: '食品经营许可', kind: 6, joint: false, popularity: 1 },
  { itemCode: 7001, name: '医师执业注册', kind: 7, joint: false, popularity: 1 },
  { itemCode: 8001, name: '非税收入缴款', kind: 8, joint: false, popularity: 2 },
  { itemCode: 9001, name: '用水报装', kind: 9, joint: false, popularity: 2 },
  { itemCode: 9002, name: '水电气联合过户', kind: 9, joint: true, popularity: 2 },
  { itemCode: 10001, name: '公共数据开放申请', kind: 10, joint: false, popularity: 1 },
];

/** Certificate types (domain CERTIFICATE_TYPES) and the department kind that issues them. */
export const CERT_ISSUER_KIND: Record<number, number> = { 1: 6, 2: 1, 3: 4, 4: 3, 5: 7, 6: 6 };
