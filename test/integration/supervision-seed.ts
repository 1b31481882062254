import type { Address, Hash } from 'viem';
import type { Db } from '../../db/client';
import type { SummaryFacts } from '../../domain/incident-summary';
import { events, incidentEvidence, incidents, orgs } from '../../db/schema';
import { createTestDb, type TestDb } from '../helpers/db';

/** A lower-case address / hash made from a small number, readable in failures. */
export const addr = (n: number): Address => `0x${n.toString(16).padStart(40, '0')}`;
export const hx = (n: number): Hash => `0x${n.toString(16).padStart(64, '0')}`;

export const CHAIN = 31337;

/** The members of the supervision world: two in Guangzhou (one in a district), one in Hangzhou. */
export const ORGS = {
  gzTax: { address: addr(0xa1), name: '广州市税务局', regionCode: 440100, kind: 5 },
  tianheHospital: { address: addr(0xa2), name: '天河区人民医院', regionCode: 440106, kind: 21 },
  hzHealth: { address: addr(0xa3), name: '杭州市卫生健康委', regionCode: 330100, kind: 7 },
  gzPolice: { address: addr(0xa4), name: '广州市公安局', regionCode: 440100, kind: 1 },
} as const;

export async function insertOrgs(db: Db): Promise<void> {
  let i = 0;
  for (const o of Object.values(ORGS)) {
    i += 1;
    await db.insert(orgs).values({
      chainId: CHAIN,
      address: o.address,
      orgCode: hx(0x100 + i),
      regionCode: o.regionCode,
      kind: o.kind,
      name: o.name,
      active: true,
      registeredBlock: 1,
      registeredAt: new Date('2025-01-01T00:00:00Z'),
      registeredLogIndex: i,
      registeredTx: hx(0x200 + i),
      lastBlock: 1,
    });
  }
}

/**
 * A fresh test database (see createTestDb) holding the seed orgs; the caller drops it afterwards.
 * Dropped here if seeding fails, since the caller never gets the handle to drop.
 */
export async function seededTestDb(): Promise<TestDb> {
  const t = await createTestDb();
  try {
    await insertOrgs(t.db);
  } catch (e) {
    await t.drop();
    throw e;
  }
  return t;
}

let block = 100;

/**
 * One incident with one evidence event (`eventName` with `args`) at the given time; the acting
 * org (the incident's) as the rule would have set it.
 */
export async function insertIncident(
  db: Db,
  p: {
    rule: string;
    severity: 'high' | 'medium' | 'low';
    regionCode: number;
    org: Address | null;
    eventName: string;
    args: Record<string, string | number>;
    at: Date;
    status?: string;
    /** What the summary says (incidents.facts); none: an incident detected before facts were kept. */
    facts?: SummaryFacts;
    /** The stored (Chinese) summary; by default a line naming the rule and block. */
    summary?: string;
  },
): Promise<number> {
  block += 1;
  const txHash = hx(0x1000 + block);
  await db.insert(events).values({
    chainId: CHAIN,
    blockNumber: block,
    logIndex: 0,
    txHash,
    txIndex: 0,
    blockTime: p.at,
    contract: 'Test',
    address: addr(0xfff),
    eventName: p.eventName,
    args: p.args,
  });
  const [row] = await db
    .insert(incidents)
    .values({
      chainId: CHAIN,
      rule: p.rule,
      findingKey: `k-${block}`,
      severity: p.severity,
      status: p.status ?? 'open',
      regionCode: p.regionCode,
      orgAddress: p.org,
      summary: p.summary ?? `${p.rule} at block ${block}`,
      facts: p.facts ?? null,
      evidenceBlock: block,
      occurredAt: p.at,
      detectedAt: p.at,
    })
    .returning({ id: incidents.id });
  if (!row) throw new Error('incident not inserted');
  await db
    .insert(incidentEvidence)
    .values({ incidentId: row.id, chainId: CHAIN, blockNumber: block, logIndex: 0, txHash, blockTime: p.at });
  return row.id;
}

type Seeded = (typeof ORGS)[keyof typeof ORGS];

/** An access without grant by `org` (its region), the case most 督办 tests follow. */
export function insertAccessWithoutGrant(
  db: Db,
  p: { org: Seeded; at: Date; severity?: 'high' | 'medium' | 'low' },
): Promise<number> {
  return insertIncident(db, {
    rule: 'ACCESS_WITHOUT_GRANT',
    severity: p.severity ?? 'high',
    regionCode: p.org.regionCode,
    org: p.org.address,
    eventName: 'DataAccessed',
    args: { accessor: p.org.address, grantId: '0x01', datasetId: '0x02' },
    at: p.at,
  });
}

/** 一票多报 by the Tianhe hospital (district 440106): a case whose department sits below a city. */
export function insertDuplicateReimbursement(db: Db, at: Date): Promise<number> {
  return insertIncident(db, {
    rule: 'DUPLICATE_REIMBURSEMENT',
    severity: 'high',
    regionCode: ORGS.tianheHospital.regionCode,
    org: ORGS.tianheHospital.address,
    eventName: 'InvoiceReimbursed',
    args: { claimant: ORGS.tianheHospital.address, invoiceHash: '0x03', amountFen: '100' },
    at,
  });
}
