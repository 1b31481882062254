import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const APP = join(import.meta.dirname, '../../app');

// Without an icon in app/ every page's request for /favicon.ico ended in a 404. Next.js serves
// app/icon.svg and links it from every page's head, so the browser asks for nothing else.
describe('app icon', () => {
  it('is the red 链 mark the sidebar shows, as a small SVG', () => {
    const svg = readFileSync(join(APP, 'icon.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('viewBox="0 0 32 32"');
    // The brand red of app/globals.css (--brand) behind a white 链.
    const brand = /--brand:\s*(#[0-9a-f]{6})/.exec(readFileSync(join(APP, 'globals.css'), 'utf8'))?.[1];
    expect(brand).toBe('#b3261e');
    expect(svg).toContain(`fill="${brand}"`);
    expect(svg).toMatch(/<text[^>]*fill="#ffffff"[^>]*>链<\/text>/);
    expect(svg.length).toBeLessThan(1024);
  });

  it('is the only icon file (one source for the tab icon)', () => {
    for (const other of ['favicon.ico', 'icon.png', 'icon.ico', 'apple-icon.png'])
      expect(existsSync(join(APP, other))).toBe(false);
  });
});
