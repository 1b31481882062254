import { randomBytes } from 'node:crypto';
import { asc } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, verifyAuditChain } from '../../db/audit-chain';
import { auditLog } from '../../db/schema/audit';
import { writeAudit } from '../../server/audit';
import { runCli } from '../helpers/cli';
import { createServerFixture, type ServerFixture } from '../helpers/web';

/**
 * Security review item 5 (and issue 15's hash chain): the runtime role cannot change the audit
 * table, every row is SM3-chained to the one before even under parallel writers, and
 * `verify-audit` names the first broken link.
 */
const appRole = `lianjian_test_app_${randomBytes(4).toString('hex')}`;
let f: ServerFixture;
let owner: pg.Client;

beforeAll(async () => {
  // A login role that is a member of the runtime role, as an operator sets it up (docs/security.md).
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`create role ${appRole} login in role lianjian_app`);
  await admin.end();
  f = await createServerFixture({ connectAs: appRole });
  owner = new pg.Client({ connectionString: f.db.url });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await f.close();
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`drop role if exists ${appRole}`);
  await admin.end();
});

const cli = (...args: string[]) => runCli(args, { DATABASE_URL: f.db.url });

describe('security 5: the runtime role cannot rewrite the audit log', () => {
  it('serves sign-ins over HTTP as the runtime role, and those audit rows are chained', async () => {
    const u = await f.addUser('analyst', 440100);
    const { res } = await f.signIn(u.email);
    expect(res.status).toBe(200);
    const bad = await f.signIn(u.email, 'wrong password!!');
    expect(bad.res.status).toBe(401);
    expect(await verifyAuditChain(f.db.db)).toMatchObject({ ok: true, unchained: 0 });
  });

  it.each([
    ['update', 'update audit_log set action = $$x$$'],
    ['delete', 'delete from audit_log'],
    ['truncate', 'truncate audit_log'],
    ['alter', 'alter table audit_log disable trigger all'],
    ['drop', 'drop table audit_log'],
    ['rewrite the chain head', 'insert into audit_chain_head values (2, null, $$x$$)'],
  ])('refuses %s with a permission error', async (_name, statement) => {
    const app = new pg.Client({ connectionString: f.db.url.replace('postgres@', `${appRole}@`) });
    await app.connect();
    try {
      const err = await app.query(statement).then(
        () => null,
        (e: { code?: string }) => e.code,
      );
      // 42501 insufficient_privilege (grants), 42501 must be owner (ALTER/DROP).
      expect(err).toBe('42501');
    } finally {
      await app.end();
    }
  });
});

describe('security 5: the SM3 hash chain', () => {
  it('parallel writers (some rolling back) form one unbroken chain in id order', async () => {
    const writers = Array.from({ length: 40 }, (_, i) =>
      f.deps.db
        .transaction(async (tx) => {
          await writeAudit(tx, {
            actor: { id: null, label: `w${i}` },
            action: 'test.parallel',
            details: { i },
          });
          if (i % 7 === 0) throw new Error('rolled back');
        })
        .catch(() => 'rolled back'),
    );
    await Promise.all(writers);
    const rows = await f.db.db.select().from(auditLog).orderBy(asc(auditLog.id));
    expect(rows.filter((r) => r.action === 'test.parallel')).toHaveLength(40 - 6);
    for (let i = 0; i < rows.length; i += 1) {
      expect(rows[i]!.prevHash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]!.hash);
    }
    expect(await verifyAuditChain(f.db.db, 7)).toMatchObject({ ok: true, rows: rows.length });
    const ok = await cli('verify-audit');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, rows: rows.length, unchained: 0 });
  });

  it('verify-audit names the first row an owner changed behind the trigger, and exits non-zero', async () => {
    const [victim] = await f.db.db.select().from(auditLog).orderBy(asc(auditLog.id)).limit(1).offset(3);
    await owner.query('alter table audit_log disable trigger audit_log_no_update_delete');
    await owner.query(`update audit_log set details = '{"i": 999}' where id = $1`, [victim!.id]);
    await owner.query('alter table audit_log enable trigger audit_log_no_update_delete');
    const res = await cli('verify-audit');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`audit chain broken at row ${victim!.id} (hash_mismatch)`);
    expect(await verifyAuditChain(f.db.db)).toMatchObject({ ok: false, brokenAt: victim!.id });
    // Put the row back as it was: the chain verifies again (the hash covers content, not storage).
    await owner.query('alter table audit_log disable trigger audit_log_no_update_delete');
    await owner.query('update audit_log set details = $2 where id = $1', [
      victim!.id,
      JSON.stringify(victim!.details),
    ]);
    await owner.query('alter table audit_log enable trigger audit_log_no_update_delete');
    expect((await verifyAuditChain(f.db.db)).ok).toBe(true);
  });

  it('a deleted row breaks the link of the row after it', async () => {
    const [a, b] = await f.db.db.select().from(auditLog).orderBy(asc(auditLog.id)).limit(2).offset(10);
    expect(b!.prevHash).toBe(a!.hash);
    await owner.query('alter table audit_log disable trigger audit_log_no_update_delete');
    await owner.query('delete from audit_log where id = $1', [a!.id]);
    await owner.query('alter table audit_log enable trigger audit_log_no_update_delete');
    expect(await verifyAuditChain(f.db.db)).toMatchObject({
      ok: false,
      brokenAt: b!.id,
      reason: 'prev_hash_mismatch',
    });
  });
});
