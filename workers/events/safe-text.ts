import { bytesToHex, type Hex } from 'viem';

/**
 * Longest chain string kept as text (characters). Org names and dataset titles are a few dozen
 * characters; anything far longer is someone testing limits, and a 100 kB name would bloat every
 * page, export and index that shows it. The whole string stays in the raw bytes.
 */
export const CHAIN_TEXT_MAX = 500;

const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A chain `string` as text Postgres and pages can hold. Solidity strings are arbitrary bytes:
 * invalid UTF-8 becomes U+FFFD, NUL (which Postgres text cannot store) becomes U+FFFD, and text
 * past CHAIN_TEXT_MAX is cut with "…". When anything was changed, `raw` keeps the exact bytes.
 * Markup is left as it is: it is text, and every page escapes it.
 */
export function safeChainText(bytes: Uint8Array): { text: string; raw?: Hex } {
  let altered = false;
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    text = lenient.decode(bytes);
    altered = true;
  }
  if (text.includes('\u0000')) {
    text = text.replaceAll('\u0000', '\uFFFD');
    altered = true;
  }
  if (text.length > CHAIN_TEXT_MAX) {
    const chars = Array.from(text);
    if (chars.length > CHAIN_TEXT_MAX) {
      text = `${chars.slice(0, CHAIN_TEXT_MAX).join('')}…`;
      altered = true;
    }
  }
  return altered ? { text, raw: bytesToHex(bytes) } : { text };
}
