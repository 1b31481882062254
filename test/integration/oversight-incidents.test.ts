import { TRPCError } from '@trpc/server';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { incidentActivity, incidentEvidence, incidents } from '../../db/schema/incidents';
import { incidentSummary } from '../../domain/incident-summary';
import { createServerFixture, type ServerFixture } from '../helpers/web';
import { seedOversight, type Seeded } from './oversight-seed';

let f: ServerFixture;
let s: Seeded;
/** Incident id by rule (each rule fires once in the seeded world). */
const idOf: Record<string, number> = {};

beforeAll(async () => {
  f = await createServerFixture();
  s = await seedOversight(f.db.url);
  for (const r of await f.db.db.select().from(incidents)) idOf[r.rule] = r.id;
}, 300_000);
afterAll(async () => {
  await f?.close();
});

const shanghaiDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function code(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe('oversight: incident list, filters and counts', () => {
  it('the seeded world has exactly the five expected incidents', () => {
    expect(Object.keys(idOf).sort()).toEqual([
      'ACCESS_WITHOUT_GRANT',
      'CROSS_PROVINCE_SENSITIVE',
      'DUPLICATE_REIMBURSEMENT',
      'MODE_NOT_GRANTED',
      'REVOKED_CERTIFICATE_USED',
    ]);
  });

  it('lists newest first with counts by rule and severity for the whole set', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const list = await c.incidents.list({});
    expect(list.total).toBe(5);
    // Newest by block time, then by id: ids alone follow chain order only across ranges (the
    // indexer inserts one range's incidents sorted by rule and key), and how the backfill cuts
    // ranges depends on what it read while the schema was migrated.
    const order = list.rows.map((r) => [r.occurredAt.getTime(), r.id] as const);
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));
    expect(new Set(list.rows.map((r) => r.id)).size).toBe(5);
    const dup = list.rows.find((r) => r.rule === 'DUPLICATE_REIMBURSEMENT');
    expect(dup).toMatchObject({
      regionCode: 440300,
      orgName: '深圳市税务局',
      status: 'open',
      severity: 'high',
    });
    const counts = await c.incidents.counts({});
    expect(counts.total).toBe(5);
    expect(counts.bySeverity).toEqual([
      { severity: 'high', n: 2 },
      { severity: 'medium', n: 3 },
    ]);
    expect(counts.byRule.every((r) => r.n === 1)).toBe(true);
    expect(counts.byRule).toHaveLength(5);
  });

  it('every incident keeps its facts: list and detail return them, the English summary is English', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const list = await c.incidents.list({});
    const names = (
      await f.db.db.execute<{ n: string }>(sql`
      select name as n from orgs union select title from datasets
    `)
    ).rows.map((r) => r.n);
    for (const r of list.rows) {
      expect(r.facts?.rule, r.rule).toBe(r.rule);
      // The stored text (the export's column) is the Chinese rendering of the same facts.
      expect(incidentSummary(r, 'zh')).toBe(r.summary);
      let en = incidentSummary(r, 'en');
      for (const n of names) en = en.replaceAll(n, '');
      // Only names registered on chain are Chinese in the English text.
      expect(en, r.rule).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
      const detail = await c.incidents.get({ id: r.id });
      expect(detail.incident.facts).toEqual(r.facts);
    }
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['rule', { rule: 'ACCESS_WITHOUT_GRANT' }, ['ACCESS_WITHOUT_GRANT']],
    ['severity', { severity: 'high' }, ['ACCESS_WITHOUT_GRANT', 'DUPLICATE_REIMBURSEMENT']],
    [
      'province region',
      { region: 440000 },
      ['DUPLICATE_REIMBURSEMENT', 'MODE_NOT_GRANTED', 'REVOKED_CERTIFICATE_USED'],
    ],
    ['city region', { region: 330100 }, ['ACCESS_WITHOUT_GRANT', 'CROSS_PROVINCE_SENSITIVE']],
    [
      'region + severity',
      { region: 440000, severity: 'medium' },
      ['MODE_NOT_GRANTED', 'REVOKED_CERTIFICATE_USED'],
    ],
    [
      'from today',
      { from: shanghaiDay() },
      [
        'ACCESS_WITHOUT_GRANT',
        'CROSS_PROVINCE_SENSITIVE',
        'DUPLICATE_REIMBURSEMENT',
        'MODE_NOT_GRANTED',
        'REVOKED_CERTIFICATE_USED',
      ],
    ],
    ['to yesterday', { to: shanghaiDay(-1) }, []],
    ['from tomorrow', { from: shanghaiDay(1) }, []],
  ];
  it.each(cases)('filter by %s gives exactly the matching rows and counts', async (_l, filter, rules) => {
    const c = f.callerFor(await f.addUser('analyst'));
    const list = await c.incidents.list({ filter: filter });
    expect(list.rows.map((r) => r.rule).sort()).toEqual(rules);
    expect(list.total).toBe(rules.length);
    expect((await c.incidents.counts({ filter: filter })).total).toBe(rules.length);
  });

  it('filters by org address (any case)', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const list = await c.incidents.list({ filter: { org: s.tax.toUpperCase().replace('0X', '0x') } });
    expect(list.rows.map((r) => r.rule).sort()).toEqual(['DUPLICATE_REIMBURSEMENT', 'MODE_NOT_GRANTED']);
  });

  it('pages by keyset on (block time, id), latest event first, without gaps or repeats', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const seen: number[] = [];
    let cursor: { at: number; id: number } | null = null;
    for (let i = 0; i < 5; i++) {
      const p: Awaited<ReturnType<typeof c.incidents.list>> = await c.incidents.list({ limit: 2, cursor });
      seen.push(...p.rows.map((r) => r.id));
      cursor = p.next;
      if (cursor === null) break;
    }
    const expected = await f.db.db.execute<{ id: number }>(
      sql`select id from incidents order by occurred_at desc, id desc`,
    );
    expect(seen).toEqual(expected.rows.map((r) => r.id));
  });

  it('from/to filter the block time of the evidence, not the detection time', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const [one] = await f.db.db.select().from(incidents).where(eq(incidents.id, idOf.MODE_NOT_GRANTED!));
    // Detected now, but the event happened in October: filtering October finds it.
    await f.db.db
      .update(incidents)
      .set({ occurredAt: new Date('2026-10-15T02:00:00Z') })
      .where(eq(incidents.id, idOf.MODE_NOT_GRANTED!));
    try {
      const oct = await c.incidents.list({ filter: { from: '2026-10-01', to: '2026-10-31' } });
      expect(oct.rows.map((r) => r.rule)).toEqual(['MODE_NOT_GRANTED']);
      expect(oct.rows[0]?.occurredAt.toISOString()).toBe('2026-10-15T02:00:00.000Z');
      expect((await c.incidents.counts({ filter: { from: '2026-10-01', to: '2026-10-31' } })).total).toBe(1);
      // The list's default order puts the older event last.
      expect((await c.incidents.list({})).rows.at(-1)?.rule).toBe('MODE_NOT_GRANTED');
    } finally {
      await f.db.db.update(incidents).set({ occurredAt: one!.occurredAt }).where(eq(incidents.id, one!.id));
    }
  });

  it('a scoped analyst sees only their region, and a region filter cannot widen it', async () => {
    const gz = f.callerFor(await f.addUser('analyst', 440100));
    expect((await gz.incidents.list({})).rows.map((r) => r.rule)).toEqual(['REVOKED_CERTIFICATE_USED']);
    expect((await gz.incidents.list({ filter: { region: 330000 } })).total).toBe(0);
    expect((await gz.incidents.counts({ filter: { region: 330100 } })).total).toBe(0);
    expect(await code(gz.incidents.get({ id: idOf.DUPLICATE_REIMBURSEMENT! }))).toBe('NOT_FOUND');
  });

  it('refuses unknown filter keys and malformed values', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    expect(await code(c.incidents.list({ filter: { regionCode: 330100 } as never }))).toBe('BAD_REQUEST');
    expect(await code(c.incidents.list({ filter: { rule: 'NOPE' } }))).toBe('BAD_REQUEST');
    expect(await code(c.incidents.list({ filter: { from: '2026-02-01', to: '2026-01-01' } }))).toBe(
      'BAD_REQUEST',
    );
  });

  it('live alerts: a watermark first, then only newer high-severity incidents of the scope', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const first = await c.incidents.latest({ afterId: null });
    expect(first.rows).toEqual([]);
    expect(first.watermark).toBe(Math.max(...Object.values(idOf)));
    const all = await c.incidents.latest({ afterId: 0 });
    expect(all.rows.map((r) => r.rule).sort()).toEqual(['ACCESS_WITHOUT_GRANT', 'DUPLICATE_REIMBURSEMENT']);
    const gz = f.callerFor(await f.addUser('analyst', 440100));
    expect((await gz.incidents.latest({ afterId: 0 })).rows).toEqual([]);
  });
});

describe('oversight: incident detail', () => {
  it('shows evidence with proof and the invoice history in chain order', async () => {
    const c = f.callerFor(await f.addUser('regulator'));
    const d = await c.incidents.get({ id: idOf.DUPLICATE_REIMBURSEMENT! });
    expect(d.incident).toMatchObject({
      rule: 'DUPLICATE_REIMBURSEMENT',
      orgName: '深圳市税务局',
      regionCode: 440300,
    });
    expect(d.evidence.map((e) => e.eventName)).toEqual(['InvoiceReimbursed', 'InvoiceReimbursed']);
    for (const e of d.evidence) {
      expect(e.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(e.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(e.args.invoiceHash).toBe(s.inv);
    }
    expect(d.subjects).toHaveLength(1);
    expect(d.subjects[0]).toMatchObject({ kind: 'invoice', key: s.inv, truncated: false });
    expect(d.subjects[0]!.events.map((e) => e.eventName)).toEqual([
      'InvoiceIssued',
      'InvoiceReimbursed',
      'InvoiceReimbursed',
    ]);
    expect(d.names.orgs[s.tax]?.name).toBe('深圳市税务局');
  });

  it("shows the grant's whole history for an access in a mode not granted", async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const d = await c.incidents.get({ id: idOf.MODE_NOT_GRANTED! });
    expect(d.subjects[0]?.kind).toBe('grant');
    expect(d.subjects[0]!.events.map((e) => e.eventName)).toEqual([
      'AccessGranted',
      'DataAccessed',
      'DataAccessed',
      'DataAccessed',
    ]);
    const blocks = d.subjects[0]!.events.map((e) => e.blockNumber);
    expect(blocks).toEqual([...blocks].sort((a, b) => a - b));
    expect(d.names.datasets[s.ds]).toBe('常住人口基本信息');
  });
});

describe('oversight: triage', () => {
  it('walks open → acknowledged → escalated → resolved → open, refusing moves the workflow forbids', async () => {
    const u = await f.addUser('analyst');
    const c = f.callerFor(u);
    const id = idOf.CROSS_PROVINCE_SENSITIVE!;
    expect(await code(c.incidents.setStatus({ id, to: 'resolved' }))).toBe('CONFLICT');
    expect(await code(c.incidents.setStatus({ id, to: 'dismissed' }))).toBe('BAD_REQUEST'); // needs a reason
    await c.incidents.setStatus({ id, to: 'acknowledged', comment: '已核实' });
    expect(await code(c.incidents.setStatus({ id, to: 'acknowledged' }))).toBe('CONFLICT');
    await c.incidents.setStatus({ id, to: 'escalated' });
    await c.incidents.setStatus({ id, to: 'resolved' });
    expect(await code(c.incidents.setStatus({ id, to: 'escalated' }))).toBe('CONFLICT');
    expect(await code(c.incidents.setStatus({ id, to: 'open' }))).toBe('BAD_REQUEST');
    await c.incidents.setStatus({ id, to: 'open', comment: '再次出现' });
    await c.incidents.assign({ id, assignee: u.email });
    await c.incidents.comment({ id, comment: '等待杭州方回复' });

    const d = await c.incidents.get({ id });
    expect(d.incident).toMatchObject({ status: 'open', assignee: u.email });
    expect(d.activity.map((a) => [a.action, a.fromStatus, a.toStatus, a.comment])).toEqual([
      ['status', 'open', 'acknowledged', '已核实'],
      ['status', 'acknowledged', 'escalated', null],
      ['status', 'escalated', 'resolved', null],
      ['status', 'resolved', 'open', '再次出现'],
      ['assign', null, null, u.email],
      ['comment', null, null, '等待杭州方回复'],
    ]);
    expect(d.activity.every((a) => a.actor === u.email)).toBe(true);
    const audits = await f.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `incident:${id}`))
      .orderBy(asc(auditLog.id));
    const actions = audits.map((a) => a.action);
    expect(actions.filter((a) => a !== 'incidents.view')).toEqual([
      'incident.status',
      'incident.status',
      'incident.status',
      'incident.status',
      'incident.assign',
      'incident.comment',
    ]);
    // Opening the incident (incidents.get above, and earlier tests' views) is on record too.
    expect(actions.at(-1)).toBe('incidents.view');
  });

  it('a refused move writes neither history nor audit', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const id = idOf.ACCESS_WITHOUT_GRANT!;
    const before = await f.db.db.select().from(incidentActivity).where(eq(incidentActivity.incidentId, id));
    expect(await code(c.incidents.setStatus({ id, to: 'resolved' }))).toBe('CONFLICT');
    const after = await f.db.db.select().from(incidentActivity).where(eq(incidentActivity.incidentId, id));
    expect(after.length).toBe(before.length);
  });

  it('regulators read but may not triage; another region cannot touch the incident', async () => {
    const reg = f.callerFor(await f.addUser('regulator'));
    expect(await code(reg.incidents.setStatus({ id: idOf.ACCESS_WITHOUT_GRANT!, to: 'acknowledged' }))).toBe(
      'FORBIDDEN',
    );
    const gz = f.callerFor(await f.addUser('analyst', 440100));
    expect(await code(gz.incidents.setStatus({ id: idOf.ACCESS_WITHOUT_GRANT!, to: 'acknowledged' }))).toBe(
      'NOT_FOUND',
    );
    const r = await gz.incidents.bulkStatus({
      target: { ids: [idOf.ACCESS_WITHOUT_GRANT!] },
      to: 'acknowledged',
    });
    expect(r).toMatchObject({ matched: 0, changed: 0 });
  });

  it('a bulk action on a filter touches exactly the matching rows', async () => {
    const u = await f.addUser('analyst');
    const c = f.callerFor(u);
    const before = new Map((await f.db.db.select().from(incidents)).map((r) => [r.id, r]));
    const r = await c.incidents.bulkStatus({
      target: { filter: { region: 440000, severity: 'medium' } },
      to: 'acknowledged',
      comment: '批量确认',
    });
    const expected = [idOf.MODE_NOT_GRANTED!, idOf.REVOKED_CERTIFICATE_USED!].sort((a, b) => a - b);
    expect(r).toEqual({ matched: 2, changed: 2, ids: expected });
    for (const row of await f.db.db.select().from(incidents)) {
      if (expected.includes(row.id)) expect(row.status).toBe('acknowledged');
      else expect(row.status, row.rule).toBe(before.get(row.id)?.status);
    }
    const hist = await f.db.db
      .select()
      .from(incidentActivity)
      .where(and(inArray(incidentActivity.incidentId, expected), eq(incidentActivity.comment, '批量确认')));
    expect(hist.map((h) => h.incidentId).sort((a, b) => a - b)).toEqual(expected);
    const [audit] = await f.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'incident.bulk_status'), eq(auditLog.actorLabel, u.email)));
    expect(audit?.details).toMatchObject({ to: 'acknowledged', changed: 2, ids: expected });

    // Again: both are acknowledged already, so nothing changes and nothing is written.
    const again = await c.incidents.bulkStatus({
      target: { filter: { region: 440000, severity: 'medium' } },
      to: 'acknowledged',
    });
    expect(again).toEqual({ matched: 2, changed: 0, ids: [] });
  });

  it('bulk assign on selected ids', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const colleague = await f.addUser('analyst');
    const ids = [idOf.DUPLICATE_REIMBURSEMENT!, idOf.ACCESS_WITHOUT_GRANT!];
    const r = await c.incidents.bulkAssign({ target: { ids }, assignee: colleague.email });
    expect(r.changed).toBe(2);
    const rows = await f.db.db.select().from(incidents).where(inArray(incidents.id, ids));
    expect(rows.every((x) => x.assignee === colleague.email)).toBe(true);
  });

  it('evidence rows are untouched by triage', async () => {
    const n = await f.db.db.select().from(incidentEvidence);
    expect(n.length).toBe(8);
  });
});
