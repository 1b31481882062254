import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { asc } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../db/schema/incidents';
import { formatFingerprint, generateSigningKeyPem, type SigningKey } from '../../server/signing/keys';
import { screenshot, signInAs } from '../helpers/browser';
import { startWebServer, type WebServer } from '../helpers/web';
import { seedOversight } from '../integration/oversight-seed';

const run = promisify(execFile);
let web: WebServer;
let browser: Browser;
let page: Page;
let key: SigningKey;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lj-e2e-package-'));
  const generated = generateSigningKeyPem();
  key = generated.key;
  writeFileSync(join(dir, 'signing.pem'), generated.pem);
  web = await startWebServer({ SIGNING_KEY_FILE: join(dir, 'signing.pem') });
  await seedOversight(web.db.url);
  ({ browser, page } = await signInAs(
    web,
    { email: 'analyst@example.gov.cn', name: '张分析', role: 'analyst', regionCode: null },
    { acceptDownloads: true },
  ));
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function node(script: string, args: string[] = []) {
  try {
    const { stdout } = await run('node', [script, ...args], { encoding: 'utf8' });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

describe('web: incident evidence package', () => {
  it('downloads from /incidents/[id] and verifies offline with the script inside, with only node', async () => {
    const [first] = await web.db.db.select().from(incidents).orderBy(asc(incidents.id)).limit(1);
    await page.goto(`${web.url}/incidents/${first!.id}`);
    const button = page.getByTestId('incident-package');
    await button.waitFor();
    expect(await button.textContent()).toBe('下载证据包（SM2 签名）');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^incident-${first!.id}-evidence-\\d{8}-\\d{4}\\.zip$`),
    );
    const zipPath = join(dir, 'package.zip');
    await download.saveAs(zipPath);

    // The recipient: unzip, run the script with plain node, nothing else.
    const out = join(dir, 'unzipped');
    mkdirSync(out);
    const entries = unzipSync(readFileSync(zipPath));
    expect(Object.keys(entries).sort()).toEqual([
      'README.txt',
      'blocks.json',
      'events.json',
      'incident.json',
      'manifest.jsonl',
      'summary.pdf',
      'triage.json',
      'verify.mjs',
    ]);
    for (const [name, bytes] of Object.entries(entries)) writeFileSync(join(out, name), bytes);
    expect(Buffer.from(entries['summary.pdf']!).subarray(0, 5).toString()).toBe('%PDF-');
    const events = JSON.parse(Buffer.from(entries['events.json']!).toString('utf8')) as { role: string }[];
    expect(events.filter((e) => e.role === 'evidence').length).toBeGreaterThan(0);

    const ok = await node(join(out, 'verify.mjs'), ['--fingerprint', key.fingerprint]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('核验通过 VERIFIED');
    expect(ok.stdout).toContain(formatFingerprint(key.fingerprint));

    // A changed byte anywhere is named.
    const eventsPath = join(out, 'events.json');
    const bytes = readFileSync(eventsPath);
    bytes[bytes.length - 3] = bytes[bytes.length - 3] === 0x30 ? 0x31 : 0x30;
    writeFileSync(eventsPath, bytes);
    const bad = await node(join(out, 'verify.mjs'), ['--json']);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as { problems: { file?: string; reason: string }[] }).problems).toEqual([
      expect.objectContaining({
        check: 'file',
        file: 'events.json',
        reason: expect.stringMatching(/^file events\.json: SM3 and SHA-256 differ/),
      }),
    ]);
  });

  it('/verify publishes the current key and its fingerprint', async () => {
    await page.goto(`${web.url}/verify`);
    const fp = page.getByTestId('current-fingerprint');
    await fp.waitFor();
    expect(await fp.textContent()).toBe(formatFingerprint(key.fingerprint));
    await screenshot(page, 'verify-signing-keys');
  });
});
