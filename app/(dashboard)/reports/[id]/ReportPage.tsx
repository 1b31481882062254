'use client';
import { useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useTRPC } from '../../../_lib/trpc/react';
import { formatShanghai } from '../options';
import styles from '../reports.module.css';

/**
 * Printing the page prints only the report: everything else is hidden and the article is laid
 * on A4 like the PDF (same HTML and SVG, rendered by the server when the report was generated).
 */
const PRINT_CSS = `
@media print {
  @page { size: A4; margin: 14mm 13mm 16mm; }
  body * { visibility: hidden; }
  .lj-report, .lj-report * { visibility: visible; }
  .lj-report { position: absolute; left: 0; top: 0; width: 100%; max-width: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}`;

export function ReportPage({ id }: { id: number }) {
  const locale = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const t = useTranslations('reports');
  const trpc = useTRPC();
  const report = useQuery(trpc.reports.get.queryOptions({ id }, { retry: false }));

  return (
    <section>
      <div className={styles.toolbar}>
        <Link href="/reports">← {t('back')}</Link>
        {report.data && (
          <>
            <a href={`/api/reports/${id}?format=pdf`} data-testid="download-pdf">
              {t('download')} {t('pdf')}
            </a>
            <a href={`/api/reports/${id}?format=html`} target="_blank" rel="noreferrer">
              {t('html')}
            </a>
            <a href={`/api/reports/${id}?format=json`}>{t('json')}</a>
            <button type="button" onClick={() => window.print()}>
              {t('print')}
            </button>
            <span className="muted">
              {t('generatedAt')}: {formatShanghai(report.data.generatedAt, lang)} · {report.data.generatedBy}
            </span>
          </>
        )}
      </div>
      {report.isLoading && <p className="muted">{t('loading')}</p>}
      {report.error && <p className="panel error">{t('notFound')}</p>}
      {report.data && (
        <div className={styles.paper}>
          <style>{report.data.css + PRINT_CSS}</style>
          {/* Server-rendered from stored figures; every text in it was HTML-escaped (server/reports/html.ts). */}
          <div dangerouslySetInnerHTML={{ __html: report.data.bodyHtml }} />
        </div>
      )}
    </section>
  );
}
