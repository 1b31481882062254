/**
 * Administrative division codes (GB/T 2260): the 34 province-level divisions and the cities
 * and districts that the simulator and the demo use. A code is 6 digits: province = first two
 * digits + 0000, city = first four + 00.
 */
export type RegionLevel = 'province' | 'city' | 'district';

export interface Region {
  code: number;
  name: string;
  nameEn: string;
  level: RegionLevel;
}

export const PROVINCES: readonly Region[] = [
  { code: 110000, name: '北京市', nameEn: 'Beijing', level: 'province' },
  { code: 120000, name: '天津市', nameEn: 'Tianjin', level: 'province' },
  { code: 130000, name: '河北省', nameEn: 'Hebei', level: 'province' },
  { code: 140000, name: '山西省', nameEn: 'Shanxi', level: 'province' },
  { code: 150000, name: '内蒙古自治区', nameEn: 'Inner Mongolia', level: 'province' },
  { code: 210000, name: '辽宁省', nameEn: 'Liaoning', level: 'province' },
  { code: 220000, name: '吉林省', nameEn: 'Jilin', level: 'province' },
  { code: 230000, name: '黑龙江省', nameEn: 'Heilongjiang', level: 'province' },
  { code: 310000, name: '上海市', nameEn: 'Shanghai', level: 'province' },
  { code: 320000, name: '江苏省', nameEn: 'Jiangsu', level: 'province' },
  { code: 330000, name: '浙江省', nameEn: 'Zhejiang', level: 'province' },
  { code: 340000, name: '安徽省', nameEn: 'Anhui', level: 'province' },
  { code: 350000, name: '福建省', nameEn: 'Fujian', level: 'province' },
  { code: 360000, name: '江西省', nameEn: 'Jiangxi', level: 'province' },
  { code: 370000, name: '山东省', nameEn: 'Shandong', level: 'province' },
  { code: 410000, name: '河南省', nameEn: 'Henan', level: 'province' },
  { code: 420000, name: '湖北省', nameEn: 'Hubei', level: 'province' },
  { code: 430000, name: '湖南省', nameEn: 'Hunan', level: 'province' },
  { code: 440000, name: '广东省', nameEn: 'Guangdong', level: 'province' },
  { code: 450000, name: '广西壮族自治区', nameEn: 'Guangxi', level: 'province' },
  { code: 460000, name: '海南省', nameEn: 'Hainan', level: 'province' },
  { code: 500000, name: '重庆市', nameEn: 'Chongqing', level: 'province' },
  { code: 510000, name: '四川省', nameEn: 'Sichuan', level: 'province' },
  { code: 520000, name: '贵州省', nameEn: 'Guizhou', level: 'province' },
  { code: 530000, name: '云南省', nameEn: 'Yunnan', level: 'province' },
  { code: 540000, name: '西藏自治区', nameEn: 'Tibet', level: 'province' },
  { code: 610000, name: '陕西省', nameEn: 'Shaanxi', level: 'province' },
  { code: 620000, name: '甘肃省', nameEn: 'Gansu', level: 'province' },
  { code: 630000, name: '青海省', nameEn: 'Qinghai', level: 'province' },
  { code: 640000, name: '宁夏回族自治区', nameEn: 'Ningxia', level: 'province' },
  { code: 650000, name: '新疆维吾尔自治区', nameEn: 'Xinjiang', level: 'province' },
  { code: 710000, name: '台湾省', nameEn: 'Taiwan', level: 'province' },
  { code: 810000, name: '香港特别行政区', nameEn: 'Hong Kong', level: 'province' },
  { code: 820000, name: '澳门特别行政区', nameEn: 'Macao', level: 'province' },
];

/** Cities and districts used by the simulator; municipalities list districts directly. */
export const CITIES: readonly Region[] = [
  { code: 110105, name: '朝阳区', nameEn: 'Chaoyang', level: 'district' },
  { code: 110108, name: '海淀区', nameEn: 'Haidian', level: 'district' },
  { code: 310104, name: '徐汇区', nameEn: 'Xuhui', level: 'district' },
  { code: 310115, name: '浦东新区', nameEn: 'Pudong', level: 'district' },
  { code: 320100, name: '南京市', nameEn: 'Nanjing', level: 'city' },
  { code: 320500, name: '苏州市', nameEn: 'Suzhou', level: 'city' },
  { code: 330100, name: '杭州市', nameEn: 'Hangzhou', level: 'city' },
  { code: 330200, name: '宁波市', nameEn: 'Ningbo', level: 'city' },
  { code: 370100, name: '济南市', nameEn: 'Jinan', level: 'city' },
  { code: 370200, name: '青岛市', nameEn: 'Qingdao', level: 'city' },
  { code: 420100, name: '武汉市', nameEn: 'Wuhan', level: 'city' },
  { code: 440100, name: '广州市', nameEn: 'Guangzhou', level: 'city' },
  { code: 440300, name: '深圳市', nameEn: 'Shenzhen', level: 'city' },
  { code: 440600, name: '佛山市', nameEn: 'Foshan', level: 'city' },
  { code: 500103, name: '渝中区', nameEn: 'Yuzhong', level: 'district' },
  { code: 510100, name: '成都市', nameEn: 'Chengdu', level: 'city' },
  { code: 520100, name: '贵阳市', nameEn: 'Guiyang', level: 'city' },
  { code: 610100, name: '西安市', nameEn: "Xi'an", level: 'city' },
];

const byCode = new Map<number, Region>([...PROVINCES, ...CITIES].map((r) => [r.code, r]));

export function provinceOf(code: number): number {
  return Math.floor(code / 10000) * 10000;
}

/** A province's code ends in four zeros (440000); a city's in two (440100); a district's in neither. */
export function isProvinceCode(code: number): boolean {
  return code % 10000 === 0;
}

export function cityOf(code: number): number {
  return Math.floor(code / 100) * 100;
}

export function isValidRegionCode(code: number): boolean {
  return Number.isInteger(code) && code >= 110000 && code <= 829999;
}

/** A valid code that names a whole province (440000), as the province pickers take. */
export function isValidProvinceCode(code: number): boolean {
  return isValidRegionCode(code) && isProvinceCode(code);
}

/** True when `code` lies inside `scope` (a province, city or the exact district). */
export function regionContains(scope: number, code: number): boolean {
  if (isProvinceCode(scope)) return provinceOf(code) === scope;
  if (scope % 100 === 0) return cityOf(code) === scope;
  return code === scope;
}

export function findRegion(code: number): Region | undefined {
  return byCode.get(code);
}

/** A display name for any code: the known name, else the province's name with the code. */
export function regionName(code: number, lang: 'zh' | 'en' = 'zh'): string {
  const r = byCode.get(code);
  if (r) return lang === 'zh' ? r.name : r.nameEn;
  const p = byCode.get(provinceOf(code));
  return p ? `${lang === 'zh' ? p.name : p.nameEn} ${code}` : String(code);
}

export function citiesOf(provinceCode: number): Region[] {
  return CITIES.filter((c) => provinceOf(c.code) === provinceCode);
}

/**
 * The regions a filter may offer a user scoped to `scope` (null = nation-wide): the provinces and
 * cities inside it, in code order. A Guangdong regulator is offered Guangdong and its cities, not
 * 34 provinces of which 33 would answer with nothing.
 */
export function regionsInScope(scope: number | null): Region[] {
  return [...PROVINCES, ...CITIES]
    .filter((r) => scope === null || regionContains(scope, r.code))
    .sort((a, b) => a.code - b.code);
}

/** A province and the cities of it a picker offers, in code order. */
export interface RegionGroup {
  province: Region | null;
  regions: Region[];
}

/**
 * The choices of a region picker for a user scoped to `scope` (null = nation-wide), grouped by
 * province: nation-wide, every province with its cities; a province, that province alone; a city,
 * just the city. A scope the tables do not name (a district) is still offered, as itself.
 */
export function regionGroups(scope: number | null): RegionGroup[] {
  const inScope = regionsInScope(scope);
  if (inScope.length === 0 && scope !== null) {
    const lang = (l: 'zh' | 'en') => regionName(scope, l);
    return [
      { province: null, regions: [{ code: scope, name: lang('zh'), nameEn: lang('en'), level: 'district' }] },
    ];
  }
  const provinces = inScope.filter((r) => r.level === 'province');
  if (provinces.length === 0) return [{ province: null, regions: inScope }];
  return provinces.map((p) => ({
    province: p,
    regions: [p, ...inScope.filter((r) => r.level !== 'province' && provinceOf(r.code) === p.code)],
  }));
}
