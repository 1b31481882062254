import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FILES } from '~/app/_i18n/catalogue';
import { LOCALES, type Locale } from '~/app/_i18n/locale';

const DIR = join(import.meta.dirname, '../../app/_i18n/messages');

type Tree = { [key: string]: string | Tree };

function read(file: string, locale: Locale): Tree {
  return JSON.parse(readFileSync(join(DIR, `${file}.${locale}.json`), 'utf8')) as Tree;
}

/** Every leaf: its dotted key and its text with the ICU placeholders ({n}, {n, plural, …}) taken out. */
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]): [string, string][] => {
    if (typeof v !== 'string') return leaves(v, `${prefix}${k}.`);
    let text = v;
    for (let prev = ''; prev !== text;) [prev, text] = [text, text.replace(/\{[^{}]*\}/g, '')];
    return [[`${prefix}${k}`, text]];
  });
}

/** Every leaf's dotted key. */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

describe('i18n catalogue', () => {
  it('holds exactly one zh and one en file per listed page, and nothing else', () => {
    const expected = CATALOGUE_FILES.flatMap((f) => LOCALES.map((l) => `${f}.${l}.json`)).sort();
    expect(readdirSync(DIR).sort()).toEqual(expected);
  });

  // Values may be empty (English drops some units Chinese writes: 条, 次, 个), keys may not differ.
  it.each(CATALOGUE_FILES)('%s: zh and en have the same keys', (file) => {
    const zh = read(file, 'zh');
    expect(Object.keys(zh).length).toBeGreaterThan(0);
    expect(keys(read(file, 'en'))).toEqual(keys(zh));
  });

  it('gives each top-level namespace one file (the merge would let a later file overwrite it)', () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const file of CATALOGUE_FILES) {
      for (const ns of Object.keys(read(file, 'zh'))) {
        if (owner.has(ns)) twice.push(`${ns}: ${owner.get(ns)} and ${file}`);
        owner.set(ns, file);
      }
    }
    expect(twice).toEqual([]);
  });

  // Issue 21 walk: the /adoption definitions read （onlineLevel = 2）, （orgsInvolved ≥ 2） and 详见
  // docs/silo-index.md to leadership, and the English ones "Fully online (全程网办)".
  it('speaks to users: no field names, repository paths or design sections; no Chinese in English', () => {
    const found: string[] = [];
    for (const file of CATALOGUE_FILES) {
      for (const locale of LOCALES) {
        for (const [key, text] of leaves(read(file, locale))) {
          const where = `${file}.${locale}: ${key}`;
          if (/\b[a-z]+[A-Z]\w*\b/.test(text)) found.push(`${where}: field name in "${text}"`);
          if (/docs\/|DESIGN §/.test(text)) found.push(`${where}: repository reference in "${text}"`);
          // The language switch names Chinese in Chinese on every page; nothing else English is Chinese.
          if (locale === 'en' && text !== '中文' && /[\u3400-\u9fff]/.test(text))
            found.push(`${where}: Chinese in "${text}"`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
