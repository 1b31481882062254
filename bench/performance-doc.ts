import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';

const DOC = 'docs/performance.md';
const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:end -->';

type Results = Record<string, unknown>;

interface Row {
  label: string;
  ours: string;
  ponder?: string;
  ratio?: string;
  goal: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (r: Results, k: string): number | undefined => {
  const v = r[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const fmt = (v: number | undefined, unit = ''): string =>
  v === undefined ? '—' : `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })}${unit}`;

/** Rows of one workload, Lianjian's figure with Ponder's beside it where the bench ran it. */
function workload(r: Results, title: string, ours: string, ponder: string | null, goal: string): Row[] {
  if (num(r, `${ours}_events`) === undefined) return [];
  const p = ponder ? `ponder_${ponder}` : null;
  const ratio = num(r, `${ours}_vs_ponder`);
  return [
    {
      label: `${title}: events/s, wall clock (spawn → exit)`,
      ours: fmt(num(r, `${ours}_events_per_s`)),
      ponder: p ? fmt(num(r, `${p}_events_per_s`)) : undefined,
      ratio: ratio === undefined ? undefined : `${fmt(ratio)}×`,
      goal,
    },
    {
      label: `${title}: seconds (events)`,
      ours: `${fmt(num(r, `${ours}_seconds`))} (${fmt(num(r, `${ours}_events`))})`,
      ponder: p ? `${fmt(num(r, `${p}_seconds`))} (${fmt(num(r, `${p}_events`))})` : undefined,
      goal: '',
    },
    {
      label: `${title}: seconds outside the sync (start-up, connect, windowed rules, statistics)`,
      ours: fmt(num(r, `${ours}_outside_sync_seconds`)),
      goal: '≤ 1',
    },
    {
      label: `${title}: peak RSS MB`,
      ours: fmt(num(r, `${ours}_peak_rss_mb`)),
      ponder: p ? fmt(num(r, `${p}_peak_rss_mb`)) : undefined,
      goal: '≤ 500',
    },
    {
      label: `${title}: CPU s node / postgres / anvil`,
      ours: [`${ours}_cpu_s_node`, `${ours}_cpu_s_postgres`, `${ours}_cpu_s_anvil`]
        .map((k) => fmt(num(r, k)))
        .join(' / '),
      ponder: p
        ? [`${p}_cpu_s`, `${p}_postgres_cpu_s`, `${p}_anvil_cpu_s`].map((k) => fmt(num(r, k))).join(' / ')
        : undefined,
      goal: '',
    },
  ];
}

/** The dashboard over HTTP (bench/dashboard-http.ts): per tRPC call, as users wait for it. */
function dashboardHttp(r: Results): Row[] {
  const events = num(r, 'dashboard_http_events');
  if (events === undefined) return [];
  const title = `Dashboard over HTTP, ${fmt(events)} events, ${fmt(num(r, 'dashboard_http_users'))} users, 2 web processes`;
  const ms = (k: string) =>
    `${fmt(num(r, `${k}_p50_ms`))} / ${fmt(num(r, `${k}_p95_ms`))} / ${fmt(num(r, `${k}_max_ms`))}`;
  return [
    {
      label: `${title}: ms per tRPC call p50 / p95 / max, all calls`,
      ours: ms('dashboard_http'),
      goal: 'p95 ≤ 100',
    },
    {
      label: `${title}: ms per tRPC call p50 / p95 / max, first load of each page and scope after each new block`,
      ours: ms('dashboard_http_first_after_block'),
      goal: 'p95 ≤ 100',
    },
    {
      label: `${title}: page loads (errors), blocks appended; CPU s web A / web B / postgres`,
      ours: `${fmt(num(r, 'dashboard_http_page_loads'))} (${fmt(num(r, 'dashboard_http_errors'))}), ${fmt(num(r, 'dashboard_http_blocks_appended'))}; ${['a', 'b'].map((x) => fmt(num(r, `dashboard_http_cpu_s_web_${x}`))).join(' / ')} / ${fmt(num(r, 'dashboard_http_cpu_s_postgres'))}`,
      goal: '',
    },
  ];
}

/** The dated table of one bench run, as Markdown. */
export function performanceTable(r: Results): string {
  const m = (r.machine ?? {}) as {
    cpus?: number;
    model?: string;
    loadavgAtStart?: number[];
    loadavgAtEnd?: number[];
  };
  const load = (l?: number[]) => (l ? l.map((x) => x.toFixed(1)).join(' / ') : '—');
  const rows: Row[] = [
    ...workload(r, 'Dense 200k (500 DataAccessed/block)', 'indexer_wallclock_dense', 'dense', '≥ 7× Ponder'),
    ...workload(r, 'Dense 1M', 'indexer_wallclock_dense_1m', 'dense_1m', '≥ 7× Ponder'),
    ...workload(r, 'Sparse 50k (10/block, 1 tx each)', 'indexer_wallclock_sparse', 'sparse', '≥ 10,000'),
    ...workload(
      r,
      'Unlawful 200k (500/block, each an incident or more)',
      'indexer_wallclock_unlawful',
      'unlawful',
      '',
    ),
    ...workload(r, 'Mixed backfill (2,000/tx)', 'backfill', null, ''),
    ...dashboardHttp(r),
  ];
  const lines = [
    `### ${str(r.startedAt).slice(0, 10)} — \`${str(r.command)}\``,
    '',
    `Machine: ${m.cpus ?? '?'} × ${m.model ?? '?'}; load average (1/5/15 min) ${load(m.loadavgAtStart)} at start, ${load(m.loadavgAtEnd)} at end. Started ${str(r.startedAt)}.`,
    '',
    '| figure | Lianjian | Ponder 0.16.10 | ratio | goal |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((x) => `| ${x.label} | ${x.ours} | ${x.ponder ?? ''} | ${x.ratio ?? ''} | ${x.goal} |`),
  ];
  if (num(r, 'ponder_missing'))
    lines.push('', 'Ponder was not installed (PONDER_DIR): no Ponder figures in this run.');
  const others = Object.entries(r).filter(
    ([k, v]) => typeof v === 'number' && !/^(indexer_wallclock_|ponder_|backfill_)/.test(k) && k !== 'quick',
  );
  if (others.length > 0) {
    lines.push(
      '',
      '<details><summary>Other figures of this run</summary>',
      '',
      '| figure | value |',
      '| --- | --- |',
    );
    for (const [k, v] of others) lines.push(`| ${k} | ${fmt(v as number)} |`);
    lines.push('', '</details>');
  }
  const errors = Object.entries(r).filter(([k]) => k.endsWith('_error'));
  for (const [k, v] of errors) lines.push('', `Error in ${k.replace(/_error$/, '')}: ${String(v)}`);
  return lines.join('\n');
}

/**
 * Rewrites the generated part of docs/performance.md with this run's table, formatted as the
 * repository's format check expects.
 */
export async function writePerformanceDoc(r: Results): Promise<void> {
  if (!existsSync(DOC)) return;
  const text = readFileSync(DOC, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return;
  const next = `${text.slice(0, a + BEGIN.length)}\n\n${performanceTable(r)}\n\n${text.slice(b)}`;
  writeFileSync(DOC, await format(next, { filepath: DOC }));
}
