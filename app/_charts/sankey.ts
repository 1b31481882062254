import type { EChartsOption } from 'echarts';
import { formatExact, type Lang, escapeHtml } from './format';
import { SERIES_COLORS } from './palette';

export interface FlowLink {
  source: string;
  target: string;
  records: number;
  accesses: number;
}

export interface SankeyInput {
  pairs: readonly FlowLink[];
  /** Display name of a provider/consumer key (org name, kind label, region name). */
  label: (key: string) => string;
  lang: Lang;
  /** Node name prefixes; distinct so a department that both provides and uses is two nodes. */
  prefixes?: { provider: string; consumer: string };
}

/** The link data carries its keys, so a click can drill to the accesses behind it. */
export interface SankeyLinkDatum {
  source: string;
  target: string;
  value: number;
  sourceKey: string;
  targetKey: string;
  accesses: number;
}

/**
 * Provider → consumer Sankey. ECharts refuses a graph with a cycle, and "A provides to B, B
 * provides to A" is common; prefixing every source with 提供: and every target with 使用: makes
 * the graph bipartite (edges only go provider → consumer), so it can never contain a cycle.
 */
export function buildSankeyOption(input: SankeyInput): EChartsOption {
  const prefixes =
    input.prefixes ??
    (input.lang === 'zh'
      ? { provider: '提供:', consumer: '使用:' }
      : { provider: 'From: ', consumer: 'To: ' });
  const names = new Map<string, string>();
  const used = new Set<string>();
  const nodeName = (side: 'p' | 'c', key: string) => {
    const id = `${side}|${key}`;
    let name = names.get(id);
    if (name) return name;
    const base = `${side === 'p' ? prefixes.provider : prefixes.consumer}${input.label(key)}`;
    // Two keys with one label (two orgs of the same name) must stay two nodes.
    name = used.has(base) ? `${base} (${key.slice(0, 8)})` : base;
    used.add(name);
    names.set(id, name);
    return name;
  };
  const links: SankeyLinkDatum[] = input.pairs
    .filter((p) => p.records > 0 || p.accesses > 0)
    .map((p) => ({
      source: nodeName('p', p.source),
      target: nodeName('c', p.target),
      // Zero-record accesses still flowed: give them a sliver so the link is visible.
      value: Math.max(p.records, 0.5),
      sourceKey: p.source,
      targetKey: p.target,
      accesses: p.accesses,
    }));
  const nodes = [...names.values()].map((name, i) => ({
    name,
    itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
  }));
  const recordsWord = input.lang === 'zh' ? '条记录' : 'records';
  const accessWord = input.lang === 'zh' ? '次访问' : 'accesses';
  return {
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: unknown) => {
        const d = p as {
          dataType?: string;
          data: SankeyLinkDatum & { name?: string };
          name?: string;
          value?: number;
        };
        if (d.dataType === 'edge')
          return `${escapeHtml(d.data.source)} → ${escapeHtml(d.data.target)}<br/>${formatExact(Math.round(d.data.value), input.lang)} ${recordsWord} · ${formatExact(d.data.accesses, input.lang)} ${accessWord}`;
        return `${escapeHtml(d.name ?? '')}<br/>${formatExact(Math.round(d.value ?? 0), input.lang)} ${recordsWord}`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 150,
        top: 12,
        bottom: 12,
        nodeGap: 14,
        nodeWidth: 14,
        layoutIterations: 32,
        emphasis: { focus: 'adjacency' },
        label: { color: '#1d2733', fontSize: 12 },
        // Thin flows stack their nodes closely: drop a label rather than print two on top of each other.
        labelLayout: { hideOverlap: true },
        lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
        data: nodes,
        links,
      },
    ],
  };
}

/** True when the links of a graph contain a directed cycle (ECharts' sankey refuses those). */
export function hasCycle(links: readonly { source: string; target: string }[]): boolean {
  const out = new Map<string, string[]>();
  for (const l of links) out.set(l.source, [...(out.get(l.source) ?? []), l.target]);
  const state = new Map<string, 1 | 2>();
  const visit = (n: string): boolean => {
    const s = state.get(n);
    if (s === 1) return true;
    if (s === 2) return false;
    state.set(n, 1);
    for (const m of out.get(n) ?? []) if (visit(m)) return true;
    state.set(n, 2);
    return false;
  };
  return [...out.keys()].some(visit);
}
