import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerFixture, type ServerFixture } from '../helpers/web';
import { seedOversight, type Seeded } from './oversight-seed';

let f: ServerFixture;
let s: Seeded;

beforeAll(async () => {
  f = await createServerFixture();
  s = await seedOversight(f.db.url);
}, 300_000);
afterAll(async () => {
  await f?.close();
});

async function code(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe('oversight: /verify 存证核验', () => {
  it('finds an invoice: reimbursed twice, with its events as proof in chain order', async () => {
    const c = f.callerFor(await f.addUser('regulator'));
    const r = await c.verify.lookup({ hash: s.inv.toUpperCase().replace('0X', '0x') });
    expect(r.matches).toHaveLength(1);
    // Pasted without 0x, the same hash finds the same answer.
    expect(await c.verify.lookup({ hash: s.inv.slice(2) })).toEqual(r);
    const m = r.matches[0]!;
    expect(m).toMatchObject({
      kind: 'invoice',
      status: 'reimbursed',
      reimbursementCount: 2,
      amountFen: '12345',
      reimbursedFen: '12000',
      regionCode: 440100,
    });
    expect(m.events.map((e) => e.eventName)).toEqual([
      'InvoiceIssued',
      'InvoiceReimbursed',
      'InvoiceReimbursed',
    ]);
    for (const e of m.events) {
      expect(e.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(e.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    }
    expect(r.names.orgs[s.hospital]?.name).toBe('广州市第一人民医院');
  });

  it('finds a certificate and says it was revoked', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const r = await c.verify.lookup({ hash: s.cert });
    expect(r.matches.map((m) => m.kind)).toEqual(['certificate']);
    expect(r.matches[0]).toMatchObject({ status: 'revoked', verificationCount: 2, certType: 2 });
    expect(r.matches[0]!.events.map((e) => e.eventName)).toEqual([
      'CertificateIssued',
      'CertificateVerified',
      'CertificateRevoked',
      'CertificateVerified',
    ]);
  });

  it('finds an access by its payload hash, and a transaction by its hash', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const r = await c.verify.lookup({ hash: s.p1 });
    expect(r.matches).toHaveLength(1);
    expect(r.matches[0]).toMatchObject({
      kind: 'access',
      grantId: s.g,
      accessor: s.tax,
      recordCount: 120,
      mode: 2,
      owner: s.police,
    });
    // The provider is named, though no event of the access carries its address.
    expect(r.names.orgs[s.police]?.name).toBe('广州市公安局');
    expect(r.names.orgs[s.tax]?.name).toBe('深圳市税务局');
    const tx = await c.verify.lookup({ hash: s.modeAccessTx });
    expect(tx.matches.map((m) => m.kind)).toEqual(['transaction']);
    expect(tx.matches[0]!.events.map((e) => e.eventName)).toEqual(['DataAccessed']);
  });

  it('finds a grant with its accesses', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const r = await c.verify.lookup({ hash: s.g });
    expect(r.matches[0]).toMatchObject({ kind: 'grant', status: 'active', accessCount: 3, grantee: s.tax });
  });

  it('hides what lies outside the caller region', async () => {
    const hz = f.callerFor(await f.addUser('analyst', 330100));
    expect((await hz.verify.lookup({ hash: s.inv })).matches).toEqual([]);
    expect((await hz.verify.lookup({ hash: s.cert })).matches).toEqual([]);
    expect((await hz.verify.lookup({ hash: s.p1 })).matches).toEqual([]);
    expect((await hz.verify.lookup({ hash: s.modeAccessTx })).matches).toEqual([]);
    // The Guangzhou owner of the dataset sees the access of its data by Shenzhen tax.
    const gz = f.callerFor(await f.addUser('regulator', 440100));
    expect((await gz.verify.lookup({ hash: s.p1 })).matches.map((m) => m.kind)).toEqual(['access']);
  });

  it('a scoped regulator sees only the events of its own organisations in a history, and how many are hidden', async () => {
    // The invoice: issued by the Guangzhou hospital (440100), reimbursed twice by Shenzhen tax (440300).
    const nation = await f.callerFor(await f.addUser('regulator')).verify.lookup({ hash: s.inv });
    expect(nation.matches[0]).toMatchObject({ kind: 'invoice', hidden: 0 });
    const gz = f.callerFor(await f.addUser('regulator', 440100));
    const inv = (await gz.verify.lookup({ hash: s.inv })).matches[0]!;
    expect(inv.kind).toBe('invoice');
    expect(inv.events.map((e) => e.eventName)).toEqual(['InvoiceIssued']);
    expect('hidden' in inv && inv.hidden).toBe(2);
    // The certificate: police (440100) issue and revoke, Shenzhen tax verifies once, the hospital once.
    const cert = (await gz.verify.lookup({ hash: s.cert })).matches[0]!;
    expect(cert.events.map((e) => e.eventName)).toEqual([
      'CertificateIssued',
      'CertificateRevoked',
      'CertificateVerified',
    ]);
    expect('hidden' in cert && cert.hidden).toBe(1);
    // The province sees both cities' organisations: nothing hidden.
    const gd = f.callerFor(await f.addUser('regulator', 440000));
    expect((await gd.verify.lookup({ hash: s.inv })).matches[0]).toMatchObject({ hidden: 0 });
  });

  it("a scoped regulator's incident page hides other regions' events of the subject's history", async () => {
    const sz = f.callerFor(await f.addUser('regulator', 440300));
    const list = await sz.incidents.list({ filter: { rule: 'DUPLICATE_REIMBURSEMENT' } });
    expect(list.rows).toHaveLength(1);
    const d = await sz.incidents.get({ id: list.rows[0]!.id });
    const invoice = d.subjects.find((x) => x.kind === 'invoice')!;
    // The Guangzhou hospital's issue is outside Shenzhen; the two reimbursements are Shenzhen's own.
    expect(invoice.events.map((e) => e.eventName)).toEqual(['InvoiceReimbursed', 'InvoiceReimbursed']);
    expect(invoice.hidden).toBe(1);
    const nation = f.callerFor(await f.addUser('regulator'));
    const all = await nation.incidents.get({ id: list.rows[0]!.id });
    expect(all.subjects.find((x) => x.kind === 'invoice')!.events).toHaveLength(3);
  });

  it('an unknown hash matches nothing; a malformed one is refused', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    expect((await c.verify.lookup({ hash: `0x${'00'.repeat(32)}` })).matches).toEqual([]);
    expect(await code(c.verify.lookup({ hash: '0x1234' }))).toBe('BAD_REQUEST');
  });
});

describe('oversight: /orgs 成员机构', () => {
  it('lists orgs with datasets owned, grants given and accesses made', async () => {
    const c = f.callerFor(await f.addUser('leadership'));
    const r = await c.orgs.list({});
    expect(r.total).toBe(4);
    const by = Object.fromEntries(r.rows.map((o) => [o.name, o]));
    expect(by['广州市公安局']).toMatchObject({ datasetsOwned: 1, grantsGiven: 1, accessesMade: 0, kind: 1 });
    expect(by['深圳市税务局']).toMatchObject({ datasetsOwned: 0, grantsGiven: 0, accessesMade: 3 });
    expect(by['杭州市数据资源管理局']).toMatchObject({ accessesMade: 1, regionCode: 330100 });
  });

  it('filters by kind, region and search, within the scope', async () => {
    const c = f.callerFor(await f.addUser('regulator'));
    expect((await c.orgs.list({ kind: 21 })).rows.map((o) => o.name)).toEqual(['广州市第一人民医院']);
    expect((await c.orgs.list({ region: 440000 })).total).toBe(3);
    expect((await c.orgs.list({ search: '税务' })).rows.map((o) => o.address)).toEqual([s.tax]);
    expect((await c.orgs.list({ search: s.hz.slice(0, 10) })).rows.map((o) => o.name)).toEqual([
      '杭州市数据资源管理局',
    ]);
    const gz = f.callerFor(await f.addUser('regulator', 440100));
    expect((await gz.orgs.list({})).rows.map((o) => o.regionCode)).toEqual([440100, 440100]);
    expect((await gz.orgs.list({ region: 330100 })).total).toBe(0);
  });

  it('one org: what it shared, consumed, granted, and its incidents', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    const police = await c.orgs.get({ address: s.police });
    expect(police.shared.datasets.map((d) => [d.title, d.grants])).toEqual([['常住人口基本信息', 1]]);
    expect(Object.fromEntries(police.shared.readers.map((r) => [r.name, r.accesses]))).toEqual({
      深圳市税务局: 3,
      杭州市数据资源管理局: 1,
    });
    expect(police.granted.map((g) => [g.grantId, g.granteeName, g.accessCount])).toEqual([
      [s.g, '深圳市税务局', 3],
    ]);

    const tax = await c.orgs.get({ address: s.tax });
    expect(tax.consumed.sources.map((x) => [x.name, x.accesses, x.records])).toEqual([
      ['广州市公安局', 3, 157],
    ]);
    expect(tax.consumed.recentAccesses).toHaveLength(3);
    expect(tax.consumed.grantsReceived.map((g) => g.grantId)).toEqual([s.g]);
    // Grants received name who gave them, not the org itself.
    expect(tax.consumed.grantsReceived.map((g) => [g.grantor, g.grantorName])).toEqual([
      [s.police, '广州市公安局'],
    ]);
    expect(tax.incidents.rows.map((i) => i.rule).sort()).toEqual([
      'DUPLICATE_REIMBURSEMENT',
      'MODE_NOT_GRANTED',
    ]);
    expect(tax.incidents.total).toBe(2);
  });

  it('each dataset counts its own grants (plain SQL over grants), with a second grant elsewhere', async () => {
    const c = f.callerFor(await f.addUser('analyst'));
    // A second dataset (of another owner) with its own grant: a count of every grant on the chain
    // would show 2 on each.
    const ds2 = `0x${'cd'.repeat(32)}`;
    const g2 = `0x${'ab'.repeat(32)}`;
    await f.db.pool.query(
      `insert into datasets (chain_id, dataset_id, owner, category, sensitivity, title, registered_block, last_block)
       select chain_id, $1, $2, category, sensitivity, '第二个数据集', registered_block, last_block
       from datasets where owner = $3`,
      [ds2, s.hz, s.police],
    );
    await f.db.pool.query(
      `insert into grants (chain_id, grant_id, dataset_id, grantee, grantor, purpose, modes, valid_until,
         granted_block, granted_log_index, granted_tx, granted_at, revoked, access_count, last_block)
       select chain_id, $1, $2, grantee, $3, purpose, modes, valid_until,
         granted_block, granted_log_index + 1000, granted_tx, granted_at, false, 0, last_block
       from grants where grant_id = $4`,
      [g2, ds2, s.hz, s.g],
    );
    try {
      const { rows: owners } = await f.db.pool.query<{ owner: string }>(
        `select distinct owner from datasets`,
      );
      for (const { owner } of owners) {
        const org = await c.orgs.get({ address: owner });
        const { rows } = await f.db.pool.query<{ id: string; n: number }>(
          `select d.dataset_id as id, (select count(*)::int from grants g
             where g.chain_id = d.chain_id and g.dataset_id = d.dataset_id) as n
           from datasets d where d.owner = $1`,
          [owner],
        );
        expect(Object.fromEntries(org.shared.datasets.map((d) => [d.datasetId, d.grants]))).toEqual(
          Object.fromEntries(rows.map((r) => [r.id, r.n])),
        );
      }
    } finally {
      await f.db.pool.query(`delete from grants where grant_id = $1`, [g2]);
      await f.db.pool.query(`delete from datasets where dataset_id = $1`, [ds2]);
    }
  });

  it('an org of another region is not found', async () => {
    const gz = f.callerFor(await f.addUser('regulator', 440100));
    expect(await code(gz.orgs.get({ address: s.hz }))).toBe('NOT_FOUND');
    expect((await gz.orgs.get({ address: s.police })).org.name).toBe('广州市公安局');
  });
});
