import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../db/schema/incidents';
import { orgs } from '../../db/schema/projections';
import { can, ROLES, type Action, type Role } from '../../server/permissions';
import { appRouter } from '../../server/routers/_app';
import { scopeCondition, scopeRange } from '../../server/scope';
import { createServerFixture, type ServerFixture } from '../helpers/web';

type AnyCaller = ReturnType<ServerFixture['callerFor']>;

/**
 * Every procedure of the root router, with the permission it must require and a valid call.
 * A procedure missing here fails the coverage test: adding one means deciding who may call it.
 */
const PROCEDURES: Record<
  string,
  { permission: Action | 'signed-in'; call: (c: AnyCaller, f: ServerFixture) => Promise<unknown> }
> = {
  'me.get': { permission: 'signed-in', call: (c) => c.me.get() },
  'admin.users.list': { permission: 'admin:users', call: (c) => c.admin.users.list() },
  'admin.users.create': {
    permission: 'admin:users',
    call: (c) =>
      c.admin.users.create({
        email: `new-${Math.random()}@example.gov.cn`,
        password: 'long enough pw',
        role: 'analyst',
        regionCode: null,
      }),
  },
  'admin.users.updateAccess': {
    permission: 'admin:users',
    call: async (c, f) =>
      c.admin.users.updateAccess({ userId: (await f.addUser('analyst')).id, role: 'regulator' }),
  },
  'admin.users.setDisabled': {
    permission: 'admin:users',
    call: async (c, f) =>
      c.admin.users.setDisabled({ userId: (await f.addUser('analyst')).id, disabled: true }),
  },
  'admin.tokens.list': { permission: 'admin:users', call: (c) => c.admin.tokens.list() },
  'me.tokens.list': { permission: 'signed-in', call: (c) => c.me.tokens.list() },
  'me.tokens.create': { permission: 'signed-in', call: (c) => c.me.tokens.create({ name: 'x' }) },
  'me.tokens.revoke': { permission: 'signed-in', call: (c) => c.me.tokens.revoke({ tokenId: 999999 }) },
  'admin.tokens.revoke': {
    permission: 'admin:users',
    call: (c) => c.admin.tokens.revoke({ tokenId: 999999 }),
  },
  'admin.audit.list': { permission: 'audit:read', call: (c) => c.admin.audit.list({}) },
  'scopeProbe.incidents': {
    permission: 'incidents:read',
    call: (c) => c.scopeProbe.incidents({ chainId: 31337 }),
  },
  'scopeProbe.orgs': { permission: 'orgs:read', call: (c) => c.scopeProbe.orgs({ chainId: 31337 }) },
  'overview.summary': { permission: 'overview:read', call: (c) => c.overview.summary({ period: '30d' }) },
  'overview.highIncidents': { permission: 'incidents:read', call: (c) => c.overview.highIncidents({}) },
  'flows.sankey': { permission: 'flows:read', call: (c) => c.flows.sankey({ group: 'kind' }) },
  'flows.matrix': { permission: 'flows:read', call: (c) => c.flows.matrix({ axis: 'region' }) },
  'flows.series': { permission: 'flows:read', call: (c) => c.flows.series({ period: '7d' }) },
  'flows.accesses': { permission: 'flows:read', call: (c) => c.flows.accesses({}) },
  'flows.proof': { permission: 'flows:read', call: (c) => c.flows.proof({ blockNumber: 1, logIndex: 0 }) },
  'adoption.regions': { permission: 'adoption:read', call: (c) => c.adoption.regions({}) },
  'adoption.trend': { permission: 'adoption:read', call: (c) => c.adoption.trend({ province: 440000 }) },
  'chain.status': { permission: 'chain:read', call: (c) => c.chain.status({}) },
  'chain.activity': { permission: 'chain:read', call: (c) => c.chain.activity({ period: 'month' }) },
  'chain.stalls': { permission: 'chain:read', call: (c) => c.chain.stalls({}) },
  'reports.generate': {
    permission: 'reports:generate',
    // An empty database has no indexed chain: NOT_FOUND once the permission check has passed.
    call: (c) => c.reports.generate({ regionCode: 0, period: '2026-09' }),
  },
  'reports.list': { permission: 'reports:read', call: (c) => c.reports.list({}) },
  'targets.progress': { permission: 'adoption:read', call: (c) => c.targets.progress() },
  'targets.set': {
    permission: 'targets:write',
    call: (c) =>
      c.targets.set({ regionCode: 440000, metric: 'online_share', value: 0.8, targetDate: '2026-12-31' }),
  },
  // Missing target: NOT_FOUND once the permission check has passed.
  'targets.remove': { permission: 'targets:write', call: (c) => c.targets.remove({ id: 999999 }) },
  'silo.index': { permission: 'adoption:read', call: (c) => c.silo.index({}) },
  'subscriptions.list': { permission: 'reports:read', call: (c) => c.subscriptions.list() },
  'subscriptions.subscribe': {
    permission: 'reports:read',
    call: (c) => c.subscriptions.subscribe({ regionCode: 0, kind: 'month' }),
  },
  'subscriptions.unsubscribe': {
    permission: 'reports:read',
    call: (c) => c.subscriptions.unsubscribe({ id: 999999 }),
  },
  'subscriptions.deliveries': { permission: 'reports:read', call: (c) => c.subscriptions.deliveries({}) },
  'reports.get': { permission: 'reports:read', call: (c) => c.reports.get({ id: 999999 }) },
  // ── oversight: incidents, verify, orgs ──
  'incidents.list': { permission: 'incidents:read', call: (c) => c.incidents.list({}) },
  'incidents.counts': { permission: 'incidents:read', call: (c) => c.incidents.counts({}) },
  'incidents.get': { permission: 'incidents:read', call: (c) => c.incidents.get({ id: 999999 }) },
  'incidents.latest': { permission: 'incidents:read', call: (c) => c.incidents.latest({ afterId: 0 }) },
  'incidents.setStatus': {
    permission: 'incidents:triage',
    call: (c) => c.incidents.setStatus({ id: 999999, to: 'acknowledged' }),
  },
  'incidents.assign': {
    permission: 'incidents:triage',
    call: (c) => c.incidents.assign({ id: 999999, assignee: 'someone@example.gov.cn' }),
  },
  'incidents.comment': {
    permission: 'incidents:triage',
    call: (c) => c.incidents.comment({ id: 999999, comment: 'checked' }),
  },
  'incidents.bulkStatus': {
    permission: 'incidents:triage',
    call: (c) => c.incidents.bulkStatus({ target: { ids: [999999] }, to: 'acknowledged' }),
  },
  'incidents.bulkAssignees': {
    permission: 'incidents:triage',
    call: (c) => c.incidents.bulkAssignees({ target: { ids: [999999] } }),
  },
  'incidents.bulkAssign': {
    permission: 'incidents:triage',
    call: (c) => c.incidents.bulkAssign({ target: { ids: [999999] }, assignee: null }),
  },
  'supervision.case': { permission: 'supervision:read', call: (c) => c.supervision.case({ id: 999999 }) },
  'supervision.stats': { permission: 'supervision:read', call: (c) => c.supervision.stats({}) },
  'supervision.breakdown': { permission: 'supervision:read', call: (c) => c.supervision.breakdown({}) },
  'supervision.queue': { permission: 'supervision:read', call: (c) => c.supervision.queue({}) },
  'supervision.assignees': {
    permission: 'incidents:triage',
    call: (c) => c.supervision.assignees({ id: 999999 }),
  },
  'supervision.handOver': {
    permission: 'supervision:direct',
    call: (c) => c.supervision.handOver({ id: 999999, instructions: 'check' }),
  },
  'supervision.sign': { permission: 'supervision:answer', call: (c) => c.supervision.sign({ id: 999999 }) },
  'supervision.answer': {
    permission: 'supervision:answer',
    call: (c) => c.supervision.answer({ id: 999999, text: 'done' }),
  },
  'supervision.accept': {
    permission: 'supervision:direct',
    call: (c) => c.supervision.accept({ id: 999999 }),
  },
  'supervision.return': {
    permission: 'supervision:direct',
    call: (c) => c.supervision.return({ id: 999999, reason: 'more' }),
  },
  'supervision.setResponsible': {
    permission: 'supervision:direct',
    call: (c) => c.supervision.setResponsible({ id: 999999, org: `0x${'cd'.repeat(20)}`, reason: 'x' }),
  },
  'verify.keys': { permission: 'proof:read', call: (c) => c.verify.keys() },
  'verify.lookup': {
    permission: 'proof:read',
    call: (c) => c.verify.lookup({ hash: `0x${'ab'.repeat(32)}` }),
  },
  'orgs.list': { permission: 'orgs:read', call: (c) => c.orgs.list({}) },
  'orgs.get': { permission: 'orgs:read', call: (c) => c.orgs.get({ address: `0x${'cd'.repeat(20)}` }) },
};

function hex(n: number, digits: number, fill = '0'): `0x${string}` {
  return `0x${String(n).padStart(digits, fill)}`;
}

async function errorCode(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e instanceof TRPCError ? e.code : `non-trpc: ${String(e)}`;
  }
}

let f: ServerFixture;
beforeAll(async () => {
  f = await createServerFixture();
});
afterAll(async () => {
  await f.close();
});

describe('server: every procedure is covered', () => {
  it('fails when a procedure of the root router has no entry in the scope table', () => {
    const paths = Object.keys(appRouter._def.procedures).sort();
    expect(paths.filter((p) => !(p in PROCEDURES))).toEqual([]);
    expect(Object.keys(PROCEDURES).filter((p) => !paths.includes(p))).toEqual([]);
  });

  it('each procedure declares in its meta the permission the table expects', () => {
    for (const [path, proc] of Object.entries(appRouter._def.procedures)) {
      const meta = (proc as unknown as { _def: { meta?: { permission?: string } } })._def.meta;
      expect(meta?.permission, path).toBe(PROCEDURES[path]?.permission);
    }
  });

  it('refuses anonymous callers everywhere', async () => {
    for (const [path, p] of Object.entries(PROCEDURES)) {
      expect(await errorCode(p.call(f.anonymous(), f)), path).toBe('UNAUTHORIZED');
    }
  });

  it.each(ROLES)('role %s is refused exactly what the matrix denies it', async (role: Role) => {
    const caller = f.callerFor(await f.addUser(role));
    for (const [path, p] of Object.entries(PROCEDURES)) {
      const code = await errorCode(p.call(caller, f));
      const allowed = p.permission === 'signed-in' || can(role, p.permission);
      if (allowed) expect(code === null || code === 'NOT_FOUND', `${role} ${path}: ${code}`).toBe(true);
      else expect(code, `${role} ${path}`).toBe('FORBIDDEN');
    }
  });
});

describe('server: region scope is applied in SQL', () => {
  const CHAIN = 31337;
  const regions = [440100, 440106, 440300, 330100, 110108, 0];
  beforeAll(async () => {
    const now = new Date();
    await f.db.db.insert(incidents).values(
      regions.map((r, i) => ({
        chainId: CHAIN,
        rule: 'ACCESS_WITHOUT_GRANT',
        findingKey: `k${i}`,
        severity: 'high',
        regionCode: r,
        summary: `incident in ${r}`,
        evidenceBlock: i + 1,
        occurredAt: now,
      })),
    );
    await f.db.db.insert(orgs).values(
      regions
        .filter((r) => r !== 0)
        .map((r, i) => ({
          chainId: CHAIN,
          address: hex(i + 1, 40),
          orgCode: hex(i + 1, 64),
          regionCode: r,
          kind: 1,
          name: `org ${r}`,
          active: true,
          registeredBlock: 1,
          registeredAt: now,
          registeredLogIndex: i,
          registeredTx: hex(i + 1, 64, 'a'),
          lastBlock: 1,
        })),
    );
  });

  const cases: [string, number | null, number[]][] = [
    ['Guangzhou city (440100)', 440100, [440100, 440106]],
    ['Guangdong province (440000)', 440000, [440100, 440106, 440300]],
    ['Haidian district (110108)', 110108, [110108]],
    ['Zhejiang province (330000)', 330000, [330100]],
    ['nation-wide (null)', null, regions],
  ];

  it.each(cases)(
    'an analyst scoped to %s sees only incidents of that region',
    async (_label, scope, visible) => {
      const c = f.callerFor(await f.addUser('analyst', scope));
      const rows = await c.scopeProbe.incidents({ chainId: CHAIN });
      expect(rows.map((r) => r.regionCode).sort()).toEqual([...visible].sort());
    },
  );

  it.each(cases)('a regulator scoped to %s sees only orgs of that region', async (_label, scope, visible) => {
    const c = f.callerFor(await f.addUser('regulator', scope));
    const rows = await c.scopeProbe.orgs({ chainId: CHAIN });
    expect(rows.map((r) => r.regionCode).sort()).toEqual(visible.filter((r) => r !== 0).sort());
  });

  it('another region is denied: a Guangzhou user gets nothing of Hangzhou, whatever the input says', async () => {
    const c = f.callerFor(await f.addUser('analyst', 440100));
    const rows = await c.scopeProbe.incidents({ chainId: CHAIN });
    expect(rows.some((r) => r.regionCode === 330100)).toBe(false);
    // Region can not be smuggled in as input: unknown keys are refused, not ignored.
    await expect(
      c.scopeProbe.incidents({ chainId: CHAIN, regionCode: 330100 } as never),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('scope ranges: province, city, district', () => {
    expect(scopeRange(440000)).toEqual({ lo: 440000, hi: 449999 });
    expect(scopeRange(440100)).toEqual({ lo: 440100, hi: 440199 });
    expect(scopeRange(110108)).toEqual({ lo: 110108, hi: 110108 });
    const q = f.db.db
      .select()
      .from(incidents)
      .where(scopeCondition({ regionCode: 440100 }, incidents.regionCode))
      .toSQL();
    expect(q.sql).toMatch(/"region_code" between \$\d+ and \$\d+/);
    expect(q.params).toEqual([440100, 440199]);
  });
});
