import { createHash } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { blocks } from '../../db/schema/chain';
import type { AuditActor } from '../audit';
import { shanghaiNowIso } from '../exports/manifest';
import { getIncidentDetail, type ChainEventView } from '../services/incidents-detail';
import type { Scope } from '../scope';
import type { SigningKey } from '../signing/keys';
import { registerSigningKey } from '../signing/registry';
import { sm3Hex } from '../signing/sm3';
import { topic0Of } from './chain-check';
import { createManifestWriter } from './manifest-writer';
import { packageSummaryHtml } from './package-summary';
import { STANDALONE_VERIFIER } from './standalone/verifier-source';
import { PACKAGE_MANIFEST, type EvidenceLine, type FileDigest } from './types';

/** One event in events.json: the evidence itself, or context (the same grant / invoice / certificate). */
export interface PackageEvent {
  role: 'evidence' | 'context';
  chainId: number;
  address: string | null;
  blockNumber: number;
  blockHash: string | null;
  blockTime: string;
  txHash: string;
  logIndex: number;
  contract: string;
  eventName: string;
  topic0: string | null;
  args: Record<string, string | number>;
}

const README = `链监 Lianjian — 事件证据包 / incident evidence package

文件 files
  incident.json   事件要素 incident facts
  events.json     链上原始事件及解码字段 raw chain events with decoded fields
  blocks.json     区块头 block headers
  triage.json     处置记录 triage history
  summary.pdf     中文摘要 readable summary
  verify.mjs      独立核验脚本 standalone verifier (Node.js only)
  manifest.jsonl  SM2 签名清单 signed manifest (SM3 + SHA-256 of every file, every event's coordinates and fields)

核验 verify
  离线 offline:   node verify.mjs [--fingerprint 公布的指纹]
  对链 on chain:  npm run cli -- verify-package <package.zip> --rpc <node URL>
`;

async function addressesOf(db: Db, chainId: number, events: ChainEventView[]): Promise<Map<string, string>> {
  if (events.length === 0) return new Map();
  const pairs = sql.join(
    events.map((e) => sql`(${e.blockNumber}::bigint, ${e.logIndex}::int)`),
    sql`, `,
  );
  const res = await db.execute<{ block_number: string; log_index: number; address: string }>(sql`
    select block_number, log_index, address from chain_events
    where chain_id = ${chainId} and (block_number, log_index) in (${pairs})`);
  return new Map(res.rows.map((r) => [`${Number(r.block_number)}-${r.log_index}`, r.address]));
}

const json = (v: unknown) => strToU8(`${JSON.stringify(v, null, 2)}\n`);

function digest(name: string, bytes: Uint8Array): FileDigest {
  return {
    name,
    bytes: bytes.length,
    sm3: sm3Hex(bytes),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * An incident's evidence package (issue: "hand it to someone with only Node and the package"): a
 * ZIP of the incident facts, the raw events it rests on with their decoded fields (plus the same
 * subject's other events as context), their block headers, the triage history, a Chinese PDF
 * summary, a standalone verifier, and the SM2-signed manifest over all of it. Scope applies:
 * another region's incident reads as missing.
 */
export async function buildIncidentPackage(p: {
  db: Db;
  scope: Scope;
  id: number;
  actor: AuditActor;
  key: SigningKey;
  print: (html: string) => Promise<Buffer>;
  now?: Date;
}): Promise<{ zip: Uint8Array; fileName: string; signature: string; events: number }> {
  const detail = await getIncidentDetail(p.db, p.scope, p.id);
  const chainId = detail.incident.chainId;
  const seen = new Set<string>();
  const ordered: { e: ChainEventView; role: PackageEvent['role'] }[] = [];
  for (const e of detail.evidence) {
    seen.add(`${e.blockNumber}-${e.logIndex}`);
    ordered.push({ e, role: 'evidence' });
  }
  for (const e of detail.subjects.flatMap((s) => s.events)) {
    const k = `${e.blockNumber}-${e.logIndex}`;
    if (seen.has(k)) continue;
    seen.add(k);
    ordered.push({ e, role: 'context' });
  }
  const addresses = await addressesOf(
    p.db,
    chainId,
    ordered.map((o) => o.e),
  );
  const events: PackageEvent[] = ordered.map(({ e, role }) => ({
    role,
    chainId: e.chainId,
    address: addresses.get(`${e.blockNumber}-${e.logIndex}`) ?? null,
    blockNumber: e.blockNumber,
    blockHash: e.blockHash,
    blockTime: e.blockTime.toISOString(),
    txHash: e.txHash,
    logIndex: e.logIndex,
    contract: e.contract,
    eventName: e.eventName,
    topic0: topic0Of(e.eventName),
    args: e.args,
  }));
  const numbers = [...new Set(events.map((e) => e.blockNumber))];
  const headers =
    numbers.length === 0
      ? []
      : await p.db
          .select()
          .from(blocks)
          .where(and(eq(blocks.chainId, chainId), inArray(blocks.number, numbers)))
          .orderBy(blocks.number);

  const exportedAt = shanghaiNowIso(p.now);
  const exportedBy = { id: p.actor.id, label: p.actor.label };
  const pdf = await p.print(
    packageSummaryHtml({
      detail,
      events,
      exportedBy: exportedBy.label,
      exportedAt,
      fingerprint: p.key.fingerprint,
    }),
  );
  const files: Record<string, Uint8Array> = {
    'incident.json': json({ incident: detail.incident, names: detail.names }),
    'events.json': json(events),
    'blocks.json': json(
      headers.map((b) => ({
        chainId: b.chainId,
        number: b.number,
        hash: b.hash,
        parentHash: b.parentHash,
        timestamp: b.timestamp.toISOString(),
      })),
    ),
    'triage.json': json(detail.activity),
    'summary.pdf': new Uint8Array(pdf),
    'verify.mjs': strToU8(STANDALONE_VERIFIER),
    'README.txt': strToU8(README),
  };

  await registerSigningKey(p.db, p.key);
  const writer = createManifestWriter({
    key: p.key,
    header: { manifest: PACKAGE_MANIFEST, incidentId: p.id, chainId, exportedBy, exportedAt },
  });
  const lines: EvidenceLine[] = events.map((e, i) => ({
    row: i + 1,
    incident: p.id,
    event: {
      chainId: e.chainId,
      address: e.address,
      blockNumber: e.blockNumber,
      blockHash: e.blockHash,
      txHash: e.txHash,
      logIndex: e.logIndex,
      eventName: e.eventName,
      topic0: e.topic0,
      args: e.args,
    },
  }));
  const evidenceText = writer.evidence(lines);
  const seal = writer.seal(Object.entries(files).map(([name, bytes]) => digest(name, bytes)));
  files['manifest.jsonl'] = strToU8(writer.header() + evidenceText + seal);
  const stamp = exportedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return {
    zip: zipSync(files, { level: 6 }),
    fileName: `incident-${p.id}-evidence-${stamp}.zip`,
    signature: (JSON.parse(seal) as { signature: string }).signature,
    events: events.length,
  };
}
