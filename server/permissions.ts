/**
 * Who may do what: the one permission matrix of the product. Routers and route handlers ask
 * `can(role, action)` (through `requirePermission` in server/trpc.ts or `authorize` in
 * server/auth/access.ts); nothing else decides by role.
 */
export const ROLES = ['admin', 'regulator', 'leadership', 'analyst', 'department'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'overview:read', // 总览
  'flows:read', // 数据共享流向, down to single on-chain accesses
  'adoption:read', // 区域应用
  'incidents:read', // 异常事件 list and detail
  'incidents:triage', // acknowledge / escalate / resolve / dismiss / assign / comment
  'incidents:export', // GET /api/incidents/export
  'chain:read', // 链上运行: chain and indexer health
  'proof:read', // 存证核验: verify a record against the chain
  'orgs:read', // 成员机构
  'reports:read', // adoption reports (page + PDF)
  'reports:generate', // build a new report (stored, audited, rate-limited): leadership's and admins'
  'targets:write', // set adoption targets (within the caller's region)
  'admin:users', // users, roles, regions, API tokens
  'audit:read', // audit log list and CSV export
  'supervision:read', // 督办: the supervision page, its figures and queue
  'supervision:direct', // 交办, 审核 (accept / return), change the responsible department
  'supervision:answer', // 签收, 反馈: a department's own cases only (users.org_address)
] as const;
export type Action = (typeof ACTIONS)[number];

const MATRIX: Record<Role, readonly Action[]> = {
  // Admins run the system; region scope still applies to what they see if they have one. Signing
  // and answering a case is the responsible department's own act, not an admin's.
  admin: ACTIONS.filter((a) => a !== 'supervision:answer'),
  // Regulators follow data-sharing: flows, the accesses behind them, incidents, proofs.
  regulator: [
    'overview:read',
    'flows:read',
    'adoption:read',
    'incidents:read',
    'chain:read',
    'proof:read',
    'orgs:read',
    'reports:read',
    'supervision:read',
    'supervision:direct',
  ],
  // Leadership reads aggregates and reports, not single accesses or incident detail work.
  leadership: [
    'overview:read',
    'adoption:read',
    'orgs:read',
    'reports:read',
    'reports:generate',
    'supervision:read',
  ],
  // Analysts triage and export incidents and verify their evidence.
  analyst: [
    'overview:read',
    'flows:read',
    'incidents:read',
    'incidents:triage',
    'incidents:export',
    'chain:read',
    'proof:read',
    'orgs:read',
    'supervision:read',
  ],
  // A department (责任单位) user sees and answers only its own org's cases, nothing else.
  department: ['supervision:read', 'supervision:answer'],
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function can(role: Role, action: Action): boolean {
  return MATRIX[role].includes(action);
}

export function permissionsOf(role: Role): readonly Action[] {
  return MATRIX[role];
}

/** Actions that need an enrolled second factor when ADMIN_TOTP=required (session callers only). */
export const SECOND_FACTOR_ACTIONS: readonly Action[] = ['admin:users', 'audit:read'];
