import type { ReportFigures } from './figures-types';
import { renderReportDocument } from './html';
import { periodLabelEn, renderReportDocumentEn } from './html-en';

export const REPORT_LANGS = ['zh', 'en'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** The whole document (HTML download, PDF source) of stored figures in either language. */
export function renderReportIn(f: ReportFigures, lang: ReportLang): string {
  return lang === 'en' ? renderReportDocumentEn(f) : renderReportDocument(f);
}

/** The title a mail's subject and a download's name use. */
export function reportTitle(f: ReportFigures, lang: ReportLang): string {
  return lang === 'en'
    ? `${f.region.nameEn} adoption report, ${periodLabelEn(f.period.key)}`
    : `${f.region.nameZh}${f.period.labelZh}应用成效报告`;
}
