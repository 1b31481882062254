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
  /** The flow being drilled into: drawn opaque, every other link and node dimmed. */
  selected?: { source: string; target: string } | null;
}

/** One row of the flow list beside the chart: the same links the chart draws. */
export interface FlowRow {
  source: string;
  target: string;
  label: string;
  records: number;
  accesses: number;
}

const FONT_SIZE = 12;
/** Right-hand label room in px: below the floor a short name would hug the edge; above the cap the
 * chart itself shrinks too much on a laptop, so longer names are truncated (full name in the tooltip). */
const LABEL_FLOOR = 80;
const LABEL_CAP = 220;
const LINK_OPACITY = { normal: 0.35, selected: 0.85, dimmed: 0.08 };
const DIMMED_NODE = 0.3;

/**
 * Approximate rendered width of a label: CJK and full-width characters take a full em, latin about
 * half. Canvas text cannot be measured in a pure builder, and an estimate is enough to size a margin.
 */
export function textWidth(s: string, fontSize = FONT_SIZE): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffef]/.test(ch) ? fontSize : fontSize * 0.5833;
  return Math.round(w);
}

/** Room for the consumers' labels right of the last column: the longest one, floor and cap. */
export function labelRoom(labels: readonly string[]): number {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
  return Math.min(LABEL_CAP, Math.max(LABEL_FLOOR, widest));
}

/** Flows that carried something, as the chart draws them: most records first, then most accesses. */
export function sankeyFlows(pairs: readonly FlowLink[], label: (key: string) => string): FlowRow[] {
  return pairs
    .filter((p) => p.records > 0 || p.accesses > 0)
    .map((p) => ({
      source: p.source,
      target: p.target,
      label: `${label(p.source)} → ${label(p.target)}`,
      records: p.records,
      accesses: p.accesses,
    }))
    .sort((a, b) => b.records - a.records || b.accesses - a.accesses);
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
  // A selection the chart does not show (filtered away, not in the top flows) dims nothing.
  const sel = input.selected;
  const hit = sel ? links.find((l) => l.sourceKey === sel.source && l.targetKey === sel.target) : undefined;
  const styledLinks = hit
    ? links.map((l) => ({
        ...l,
        lineStyle: { opacity: l === hit ? LINK_OPACITY.selected : LINK_OPACITY.dimmed },
      }))
    : links;
  const nodes = [...names.values()].map((name, i) => {
    const node = { name, itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length]! } };
    if (!hit || name === hit.source || name === hit.target) return node;
    return {
      ...node,
      itemStyle: { ...node.itemStyle, opacity: DIMMED_NODE },
      label: { color: '#a3acb9' },
    };
  });
  const room = labelRoom(links.map((l) => l.target));
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
        right: room + 12,
        top: 12,
        bottom: 12,
        nodeGap: 14,
        nodeWidth: 14,
        layoutIterations: 32,
        emphasis: { focus: 'adjacency' },
        // Long names end in … rather than run off the canvas; the node's tooltip has the full name.
        label: { color: '#1d2733', fontSize: FONT_SIZE, width: room, overflow: 'truncate', ellipsis: '…' },
        // Thin flows stack their nodes closely: drop a label rather than print two on top of each other.
        labelLayout: { hideOverlap: true },
        lineStyle: { color: 'gradient', opacity: LINK_OPACITY.normal, curveness: 0.5 },
        data: nodes,
        links: styledLinks,
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
