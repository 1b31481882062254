/**
 * A tile-grid map of China: every province-level division has one fixed cell [row, col] that
 * keeps its rough geographic neighbourhood (north at the top). No external map data is needed
 * and small provinces are as visible as large ones. 8 rows × 9 columns.
 */
export interface Tile {
  code: number;
  short: string;
  shortEn: string;
  row: number;
  col: number;
}

export const TILE_ROWS = 8;
export const TILE_COLS = 9;

export const CHINA_TILES: readonly Tile[] = [
  { code: 230000, short: '黑龙江', shortEn: 'HLJ', row: 0, col: 8 },
  { code: 150000, short: '内蒙古', shortEn: 'NMG', row: 1, col: 5 },
  { code: 110000, short: '北京', shortEn: 'BJ', row: 1, col: 6 },
  { code: 220000, short: '吉林', shortEn: 'JL', row: 1, col: 8 },
  { code: 650000, short: '新疆', shortEn: 'XJ', row: 2, col: 1 },
  { code: 620000, short: '甘肃', shortEn: 'GS', row: 2, col: 3 },
  { code: 640000, short: '宁夏', shortEn: 'NX', row: 2, col: 4 },
  { code: 140000, short: '山西', shortEn: 'SX', row: 2, col: 5 },
  { code: 130000, short: '河北', shortEn: 'HE', row: 2, col: 6 },
  { code: 120000, short: '天津', shortEn: 'TJ', row: 2, col: 7 },
  { code: 210000, short: '辽宁', shortEn: 'LN', row: 2, col: 8 },
  { code: 630000, short: '青海', shortEn: 'QH', row: 3, col: 2 },
  { code: 610000, short: '陕西', shortEn: 'SN', row: 3, col: 4 },
  { code: 410000, short: '河南', shortEn: 'HA', row: 3, col: 5 },
  { code: 370000, short: '山东', shortEn: 'SD', row: 3, col: 6 },
  { code: 540000, short: '西藏', shortEn: 'XZ', row: 4, col: 1 },
  { code: 510000, short: '四川', shortEn: 'SC', row: 4, col: 3 },
  { code: 500000, short: '重庆', shortEn: 'CQ', row: 4, col: 4 },
  { code: 420000, short: '湖北', shortEn: 'HB', row: 4, col: 5 },
  { code: 340000, short: '安徽', shortEn: 'AH', row: 4, col: 6 },
  { code: 320000, short: '江苏', shortEn: 'JS', row: 4, col: 7 },
  { code: 530000, short: '云南', shortEn: 'YN', row: 5, col: 3 },
  { code: 520000, short: '贵州', shortEn: 'GZ', row: 5, col: 4 },
  { code: 430000, short: '湖南', shortEn: 'HN', row: 5, col: 5 },
  { code: 360000, short: '江西', shortEn: 'JX', row: 5, col: 6 },
  { code: 330000, short: '浙江', shortEn: 'ZJ', row: 5, col: 7 },
  { code: 310000, short: '上海', shortEn: 'SH', row: 5, col: 8 },
  { code: 450000, short: '广西', shortEn: 'GX', row: 6, col: 4 },
  { code: 440000, short: '广东', shortEn: 'GD', row: 6, col: 5 },
  { code: 350000, short: '福建', shortEn: 'FJ', row: 6, col: 6 },
  { code: 710000, short: '台湾', shortEn: 'TW', row: 6, col: 8 },
  { code: 460000, short: '海南', shortEn: 'HI', row: 7, col: 4 },
  { code: 820000, short: '澳门', shortEn: 'MO', row: 7, col: 5 },
  { code: 810000, short: '香港', shortEn: 'HK', row: 7, col: 6 },
];
