/**
 * UI strings of /reports (zh default, en switch). Kept here rather than in the shared message
 * files, which other pages edit at the same time. The report is in Chinese unless English is chosen.
 */
export const REPORT_MESSAGES = {
  zh: {
    title: '应用成效报告',
    builder: '生成报告',
    region: '地区',
    nation: '全国',
    periodKind: '周期',
    month: '月度',
    quarter: '季度',
    year: '年度',
    period: '期间',
    periodHint: '如 2026-09、2026-Q3、2026',
    language: '语言',
    generate: '生成',
    generating: '正在生成…',
    history: '历史报告',
    empty: '尚无报告。',
    generatedAt: '生成时间',
    trigger: '来源',
    triggers: { manual: '手动', cli: '命令行', scheduled: '定时' } as Record<string, string>,
    by: '生成人',
    download: '下载',
    open: '查看',
    pdf: 'PDF',
    html: '打印版 HTML',
    json: 'JSON',
    print: '打印',
    back: '返回报告列表',
    loading: '加载中…',
    notFound: '报告不存在或不在您的权限范围内。',
    schedule: '每月 1 日自动生成上月报告，每季度首日生成上季度报告（北京时间）。',
  },
  en: {
    title: 'Adoption reports',
    builder: 'New report',
    region: 'Region',
    nation: 'Nation',
    periodKind: 'Period type',
    month: 'Month',
    quarter: 'Quarter',
    year: 'Year',
    period: 'Period',
    periodHint: 'e.g. 2026-09, 2026-Q3, 2026',
    language: 'Language',
    generate: 'Generate',
    generating: 'Generating…',
    history: 'History',
    empty: 'No reports yet.',
    generatedAt: 'Generated',
    trigger: 'Source',
    triggers: { manual: 'Manual', cli: 'CLI', scheduled: 'Scheduled' } as Record<string, string>,
    by: 'By',
    download: 'Download',
    open: 'Open',
    pdf: 'PDF',
    html: 'Printable HTML',
    json: 'JSON',
    print: 'Print',
    back: 'Back to reports',
    loading: 'Loading…',
    notFound: 'The report does not exist or is outside your scope.',
    schedule:
      'Generated automatically on the 1st of each month (previous month) and of each quarter (previous quarter), Beijing time.',
  },
} as const;

export type ReportMessages = (typeof REPORT_MESSAGES)['zh'] | (typeof REPORT_MESSAGES)['en'];

export function reportMessages(locale: string): ReportMessages {
  return locale === 'en' ? REPORT_MESSAGES.en : REPORT_MESSAGES.zh;
}
