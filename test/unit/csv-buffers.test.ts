import { describe, expect, it } from 'vitest';
import { createRng } from '~/chain/simulate/prng';
import { CsvBuffers } from '~/workers/indexer/copy';

/** Lines of ASCII, Chinese, four-byte characters and, now and then, one longer than a buffer. */
function randomLines(seed: string, n: number): string[] {
  const rng = createRng(seed);
  const alphabet = ['a', '0', ',', '"', '\n', '链', '监', '😀', 'é'];
  return Array.from({ length: n }, (_, i) => {
    const len = i % 97 === 0 ? 300_000 : rng.int(0, 400);
    let s = '';
    for (let k = 0; k < len; k++) s += alphabet[rng.int(0, alphabet.length - 1)];
    return `${i},${s}\n`;
  });
}

describe('CsvBuffers', () => {
  it('holds exactly the UTF-8 of the lines in order, whatever their characters and lengths', () => {
    const lines = randomLines('csv-buffers', 2_000);
    const b = new CsvBuffers();
    for (const l of lines) b.add(l);
    const chunks = b.finish();
    expect(Buffer.concat(chunks).equals(Buffer.from(lines.join(''), 'utf8'))).toBe(true);
    // Lines are never split across buffers (COPY reads them as one stream either way).
    for (const c of chunks) expect(c[c.length - 1]).toBe(0x0a);
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('gives no buffer for no lines', () => {
    expect(new CsvBuffers().finish()).toEqual([]);
  });
});
