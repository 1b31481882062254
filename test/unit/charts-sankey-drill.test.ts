import { describe, expect, it } from 'vitest';
import {
  buildSankeyOption,
  labelRoom,
  sankeyFlows,
  textWidth,
  type SankeyLinkDatum,
} from '../../app/_charts/sankey';

interface Node {
  name: string;
  itemStyle: { color: string; opacity?: number };
  label?: { color: string };
}
interface Series {
  right: number;
  label: { width: number; overflow: string; ellipsis: string };
  data: Node[];
  links: (SankeyLinkDatum & { lineStyle?: { opacity: number } })[];
}
const seriesOf = (o: unknown): Series => (o as { series: Series[] }).series[0]!;

const pairs = [
  { source: 'a', target: 'b', records: 10, accesses: 4 },
  { source: 'c', target: 'b', records: 30, accesses: 1 },
  { source: 'a', target: 'd', records: 0, accesses: 2 },
  { source: 'c', target: 'd', records: 0, accesses: 0 }, // nothing flowed: not drawn, not listed
];
const label = (k: string) => k.toUpperCase();

describe('sankey drill: the selected flow stands out', () => {
  it('the selected link is opaque, the others and the nodes off it are dimmed', () => {
    const s = seriesOf(
      buildSankeyOption({ pairs, label, lang: 'zh', selected: { source: 'a', target: 'b' } }),
    );
    expect(s.links.map((l) => [l.sourceKey, l.targetKey, l.lineStyle?.opacity])).toEqual([
      ['a', 'b', 0.85],
      ['c', 'b', 0.08],
      ['a', 'd', 0.08],
    ]);
    expect(s.data.map((n) => [n.name, n.itemStyle.opacity ?? 1])).toEqual([
      ['提供:A', 1],
      ['使用:B', 1],
      ['提供:C', 0.3],
      ['使用:D', 0.3],
    ]);
    expect(s.data.filter((n) => n.label).map((n) => n.name)).toEqual(['提供:C', '使用:D']);
  });

  it('nothing selected, or a selection the chart does not show: nothing is dimmed', () => {
    for (const selected of [null, { source: 'x', target: 'y' }]) {
      const s = seriesOf(buildSankeyOption({ pairs, label, lang: 'en', selected }));
      expect(s.links.every((l) => l.lineStyle === undefined)).toBe(true);
      expect(s.data.every((n) => n.itemStyle.opacity === undefined && n.label === undefined)).toBe(true);
    }
  });
});

describe('sankey drill: right-hand labels fit', () => {
  it('text width counts a CJK character as a full em, latin as about half', () => {
    expect(textWidth('广州市公安局')).toBe(72);
    expect(textWidth('To: Police')).toBe(70);
  });

  it('the right margin grows with the longest consumer label, up to a cap that truncates', () => {
    expect(labelRoom(['使用:广州市公安局'])).toBe(103);
    expect(labelRoom(['To: ab'])).toBe(80); // never below the floor
    expect(labelRoom(['使用:广州市天河区人力资源和社会保障局信息中心'])).toBe(220);
    const long = 'Guangzhou Municipal Human Resources and Social Security Bureau';
    const s = seriesOf(
      buildSankeyOption({
        pairs: [{ source: 'a', target: 'b', records: 1, accesses: 1 }],
        label: () => long,
        lang: 'en',
      }),
    );
    expect(s.right).toBe(220 + 12);
    // Longer names end in … on the chart; the node tooltip keeps the full name.
    expect(s.label).toMatchObject({ width: 220, overflow: 'truncate', ellipsis: '…' });
  });
});

describe('sankey drill: the flow list mirrors the chart', () => {
  it('one row per drawn link, most records first, then most accesses', () => {
    expect(sankeyFlows(pairs, label)).toEqual([
      { source: 'c', target: 'b', label: 'C → B', records: 30, accesses: 1 },
      { source: 'a', target: 'b', label: 'A → B', records: 10, accesses: 4 },
      { source: 'a', target: 'd', label: 'A → D', records: 0, accesses: 2 },
    ]);
    const drawn = seriesOf(buildSankeyOption({ pairs, label, lang: 'zh' })).links;
    expect(new Set(sankeyFlows(pairs, label).map((f) => `${f.source}>${f.target}`))).toEqual(
      new Set(drawn.map((l) => `${l.sourceKey}>${l.targetKey}`)),
    );
  });
});
