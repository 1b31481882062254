import { FONT } from './chart-options';

/**
 * Print-first styles of the report, scoped to .lj-report so the page can show the same fragment
 * inside the dashboard. Sized for an A4 column; figures and table rows never split across pages.
 */
export const REPORT_CSS = `
.lj-report{font-family:${FONT};color:#1f2a37;font-size:10.5pt;line-height:1.6;max-width:720px;margin:0 auto;background:#fff}
.lj-report h1{font-size:19pt;margin:4px 0 6px;line-height:1.3}
.lj-report h2{font-size:13pt;margin:18px 0 8px;padding-bottom:4px;border-bottom:2px solid #2f6db5;break-after:avoid;page-break-after:avoid}
.lj-report h3{font-size:11pt;margin:12px 0 6px;break-after:avoid;page-break-after:avoid}
.lj-report .lj-header{border-bottom:1px solid #d5dbe3;padding-bottom:8px}
.lj-report .lj-kicker{color:#2f6db5;font-weight:700;letter-spacing:.08em;font-size:9.5pt}
.lj-report .lj-meta,.lj-report .lj-muted{color:#5f6b7a;font-size:9pt;margin:0}
.lj-report .lj-summary p{background:#f3f7fc;border-left:4px solid #2f6db5;padding:10px 12px;margin:0;text-align:justify}
.lj-report .lj-facts{margin:4px 0 8px;padding-left:18px}
.lj-report .lj-table{border-collapse:collapse;width:100%;font-size:9.5pt;margin:4px 0 8px}
.lj-report .lj-table th,.lj-report .lj-table td{border:1px solid #d5dbe3;padding:3px 6px;text-align:right;vertical-align:top}
.lj-report .lj-table th{background:#eef3f9;font-weight:700}
.lj-report .lj-table .t{text-align:left}
.lj-report .lj-table tr{break-inside:avoid;page-break-inside:avoid}
.lj-report .lj-table thead{display:table-header-group}
.lj-report .lj-narrow{width:auto;min-width:55%}
.lj-report .lj-figure{margin:8px 0;break-inside:avoid;page-break-inside:avoid}
.lj-report .lj-figure figcaption{font-size:9.5pt;font-weight:700;color:#374151;margin-bottom:2px}
.lj-report .lj-figure svg{display:block;max-width:100%;height:auto}
.lj-report .lj-row{display:flex;gap:16px;flex-wrap:wrap}
.lj-report .lj-half{flex:1 1 320px}
.lj-report .lj-notes{font-size:8.5pt;color:#5f6b7a}
.lj-report .lj-notes ol{padding-left:18px;margin:0}
`;

/** Only for the standalone document (download and PDF): A4 pages, no browser margins. */
export const PAGE_CSS = `
@page{size:A4;margin:14mm 13mm 16mm}
html,body{margin:0;padding:0;background:#fff}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
`;
