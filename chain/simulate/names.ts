/** Chinese names for simulated organisations and datasets, built from the region's name. */
import type { Region } from '../../domain/regions';

const DEPARTMENT_SUFFIX: Record<number, string> = {
  1: '公安局',
  2: '民政局',
  3: '人力资源和社会保障局',
  4: '不动产登记中心',
  5: '税务局',
  6: '市场监督管理局',
  7: '卫生健康委员会',
  8: '财政局',
  9: '水务集团',
  10: '数据局',
};

export function departmentName(region: Region, kind: number): string {
  // Districts of municipalities host branch offices of the city's public security bureau.
  if (kind === 1 && region.level === 'district') return `${region.name}公安分局`;
  return `${region.name}${DEPARTMENT_SUFFIX[kind] ?? '办公室'}`;
}

/** 广州市 → 广州, 浦东新区 → 浦东. */
export function shortName(region: Region): string {
  return region.name.replace(/(新区|市|区)$/, '');
}

const BRANDS = [
  '华信',
  '恒通',
  '瑞丰',
  '中科',
  '天成',
  '鼎盛',
  '云帆',
  '博远',
  '嘉禾',
  '新程',
  '安泰',
  '智联',
  '汇智',
  '弘毅',
];
const INDUSTRIES = [
  '科技',
  '信息技术',
  '贸易',
  '建设工程',
  '物流',
  '医药',
  '食品',
  '网络科技',
  '数据服务',
  '软件',
];

export function enterpriseName(region: Region, i: number): string {
  const brand = BRANDS[(i * 5 + region.code) % BRANDS.length] ?? '华信';
  const industry = INDUSTRIES[(i * 3 + Math.floor(region.code / 100)) % INDUSTRIES.length] ?? '科技';
  return `${shortName(region)}${brand}${industry}有限公司`;
}

const HOSPITALS = ['第一人民医院', '中医医院', '妇幼保健院', '第二人民医院', '儿童医院', '口腔医院'];

export function hospitalName(region: Region, i: number): string {
  if (region.level === 'district' && i === 0) return `${region.name}人民医院`;
  return `${region.name}${HOSPITALS[i % HOSPITALS.length] ?? '人民医院'}`;
}

const DATASET_TITLES: Record<number, readonly string[]> = {
  1: ['人口基础信息库', '户籍登记信息', '婚姻登记信息'],
  2: ['市场主体登记信息', '企业年报信息'],
  3: ['不动产登记信息', '不动产抵押信息'],
  4: ['社会保险参保信息', '低保救助对象信息'],
  5: ['电子病历摘要', '医保结算明细'],
  6: ['纳税申报信息', '欠税公告信息'],
  7: ['公共信用信息', '行政处罚信息'],
  8: ['水电气缴费信息', '用水户信息'],
  9: ['电子证照库', '证照核验记录'],
  10: ['财政电子票据', '非税收入缴款信息'],
};

/**
 * The title of an owner's `nth` dataset of `category` (0-based): distinct for each n, so one
 * owner never lists two datasets of the same title (a suffix once the category's titles run out).
 */
export function datasetTitle(region: Region, category: number, nth: number): string {
  const titles = DATASET_TITLES[category] ?? ['共享数据'];
  const base = `${region.name}${titles[nth % titles.length] ?? '共享数据'}`;
  const round = Math.floor(nth / titles.length);
  return round === 0 ? base : `${base}（${round + 1}）`;
}
