import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { createPublicClient, http, type PublicClient } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../db/schema/incidents';
import { verifyEvidenceZip } from '../../server/evidence/verify-package';
import { createEvidenceVerifyHandler } from '../../server/services/evidence-verify-handler';
import { createIncidentPackageHandler } from '../../server/services/incident-package-handler';
import { createIncidentExportHandler } from '../../server/services/incidents-export-handler';
import { generateSigningKeyPem, type SigningKey } from '../../server/signing/keys';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { basicScenario } from '../helpers/scenario';
import { createServerFixture, TEST_ORIGIN, type ServerFixture } from '../helpers/web';

let f: ServerFixture;
let h: IndexerHarness;
let client: PublicClient;
let key: SigningKey;
let keyFile: string;
let analyst: string;
let haidian: string;

async function tokenFor(region: number | null): Promise<string> {
  const u = await f.addUser('analyst', region);
  return f.tokenFor(u, 'evidence');
}

/** The PDF printer is Chromium's in production and in the browser test; here a stand-in keeps it fast. */
const print = (html: string) => Promise.resolve(Buffer.from(`%PDF-stand-in ${html.length}`));

beforeAll(async () => {
  f = await createServerFixture();
  h = await createIndexerHarness();
  await basicScenario(h.scenario);
  const ctx = await createIndexerContext(h.env({ DATABASE_URL: f.db.url }));
  try {
    await syncToHead(ctx);
  } finally {
    await ctx.dbh.close();
  }
  client = createPublicClient({ transport: http(h.anvil.url) });
  const dir = mkdtempSync(join(tmpdir(), 'lj-evidence-'));
  keyFile = join(dir, 'signing.pem');
  const g = generateSigningKeyPem();
  writeFileSync(keyFile, g.pem);
  key = g.key;
  analyst = await tokenFor(null);
  haidian = await tokenFor(110108);
}, 300_000);
afterAll(async () => {
  await h?.close();
  await f?.close();
});

const get = (handler: (r: Request) => Promise<Response>, path: string, token: string) =>
  handler(new Request(`${TEST_ORIGIN}${path}`, { headers: { authorization: `Bearer ${token}` } }));

async function firstIncident() {
  const [row] = await f.db.db.select().from(incidents).orderBy(asc(incidents.id)).limit(1);
  return row!;
}

async function packageOf(id: number): Promise<Uint8Array> {
  const handler = createIncidentPackageHandler({ ...f.deps, signingKeyFile: keyFile, print });
  const res = await handler(
    new Request(`${TEST_ORIGIN}/api/incidents/${id}/package`, {
      headers: { authorization: `Bearer ${analyst}` },
    }),
    String(id),
  );
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

describe('browser export: ?bundle=zip', () => {
  it('is one ZIP with the export, its signed manifest and the verifier; it verifies against the chain', async () => {
    const handler = createIncidentExportHandler({ ...f.deps, signingKeyFile: keyFile });
    const res = await get(handler, '/api/incidents/export?format=csv&bundle=zip', analyst);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="incidents-\d{8}-\d{4}\.csv\.zip"$/,
    );
    const zip = new Uint8Array(await res.arrayBuffer());
    const names = Object.keys(unzipSync(zip));
    expect(names).toEqual([expect.stringMatching(/^incidents-.*\.csv$/), 'manifest.jsonl', 'verify.mjs']);
    const report = await verifyEvidenceZip({ zip, client });
    expect(report.problems).toEqual([]);
    const evidenceRows = await f.db.db.$count(incidents);
    expect(report).toMatchObject({ kind: 'export', ok: true, signatureOk: true, fileHashOk: true });
    expect(report.rows).toBeGreaterThanOrEqual(evidenceRows);
    expect(report.checked).toBe(report.rows);
    expect(report.signer?.fingerprint).toBe(key.fingerprint);
  });

  it('without a signing key the ZIP is refused with 503; the bare file still streams', async () => {
    const handler = createIncidentExportHandler({ ...f.deps });
    const res = await get(handler, '/api/incidents/export?format=json&bundle=zip', analyst);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SIGNING_KEY_MISSING');
    const bare = await get(handler, '/api/incidents/export?format=json', analyst);
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await bare.arrayBuffer();
    const bad = await get(handler, '/api/incidents/export?format=json&bundle=tar', analyst);
    expect(bad.status).toBe(400);
  });
});

describe('incident evidence package: GET /api/incidents/:id/package', () => {
  it('holds facts, events, blocks, triage, summary, verifier and a manifest that verifies against the chain', async () => {
    const inc = await firstIncident();
    const zip = await packageOf(inc.id);
    const entries = unzipSync(zip);
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
    const events = JSON.parse(Buffer.from(entries['events.json']!).toString()) as {
      role: string;
      blockNumber: number;
      address: string;
      topic0: string;
    }[];
    expect(events.filter((e) => e.role === 'evidence').length).toBeGreaterThan(0);
    expect(events.every((e) => /^0x[0-9a-f]{40}$/.test(e.address) && /^0x[0-9a-f]{64}$/.test(e.topic0))).toBe(
      true,
    );
    const blocks = JSON.parse(Buffer.from(entries['blocks.json']!).toString()) as { number: number }[];
    expect(new Set(blocks.map((b) => b.number))).toEqual(new Set(events.map((e) => e.blockNumber)));
    const report = await verifyEvidenceZip({ zip, client });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ kind: 'package', incidentId: inc.id, ok: true, checked: events.length });
  });

  it('a changed file, an unsealed extra file, or a changed event field is named', async () => {
    const inc = await firstIncident();
    const entries = unzipSync(await packageOf(inc.id));
    const triage = {
      ...entries,
      'triage.json': strToU8('[{"comment":"added later"}]\n'),
      'extra.txt': strToU8('x'),
    };
    const r1 = await verifyEvidenceZip({ zip: zipSync(triage), client: null });
    expect(r1.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^file triage\.json: SM3 and SHA-256 differ from the manifest/),
      'file extra.txt is not covered by the manifest',
    ]);

    const lines = Buffer.from(entries['manifest.jsonl']!).toString().split('\n');
    const ev = JSON.parse(lines[1]!) as { event: { args: Record<string, string | number> } };
    const [field, value] = Object.entries(ev.event.args).find(([, v]) => typeof v === 'number')!;
    ev.event.args[field] = (value as number) + 1;
    lines[1] = JSON.stringify(ev);
    const r2 = await verifyEvidenceZip({
      zip: zipSync({ ...entries, 'manifest.jsonl': strToU8(lines.join('\n')) }),
      client,
    });
    expect(r2.problems.map((p) => `${p.check}${p.row ? `@${p.row}` : ''}: ${p.reason}`)).toEqual([
      'manifest: manifest evidence lines were changed after signing (SM3 of the evidence differs from the seal)',
      `chain@1: field ${field} is ${value} on chain, the manifest says ${(value as number) + 1}`,
    ]);
  });

  it("another region's incident answers 404, like a missing one", async () => {
    const inc = await firstIncident();
    const handler = createIncidentPackageHandler({ ...f.deps, signingKeyFile: keyFile, print });
    const res = await handler(
      new Request(`${TEST_ORIGIN}/api/incidents/${inc.id}/package`, {
        headers: { authorization: `Bearer ${haidian}` },
      }),
      String(inc.id),
    );
    expect(res.status).toBe(404);
    expect(
      (
        await handler(
          new Request(`${TEST_ORIGIN}/api/incidents/x/package`, {
            headers: { authorization: `Bearer ${analyst}` },
          }),
          'x',
        )
      ).status,
    ).toBe(400);
  });

  it('POST /api/verify/evidence checks an upload and knows the deployment key', async () => {
    const inc = await firstIncident();
    const zip = await packageOf(inc.id);
    const handler = createEvidenceVerifyHandler({ ...f.deps, rpcUrl: h.anvil.url });
    const res = await handler(
      new Request(`${TEST_ORIGIN}/api/verify/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${analyst}` },
        body: Buffer.from(zip),
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'package', ok: true, knownKey: true, problems: [] });
    const manifestOnly = unzipSync(zip)['manifest.jsonl']!;
    const res2 = await handler(
      new Request(`${TEST_ORIGIN}/api/verify/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${analyst}` },
        body: Buffer.from(manifestOnly),
      }),
    );
    expect(await res2.json()).toMatchObject({ kind: 'manifest', ok: true, signatureOk: true });
  });
});
