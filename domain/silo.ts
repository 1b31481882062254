/**
 * The data-silo index (信息孤岛指数) of a department: how closed it is, 0 (open) to 100 (closed).
 * Pure, so the page, the report and docs/silo-index.md state one formula:
 *
 *   unused   = datasets never used by another org under a grant ÷ datasets registered (1 with none)
 *   one-way  = grants received ÷ (grants given + grants received), counting grants between
 *              different orgs only (1 with neither)
 *   index    = 100 × (unused + one-way) ÷ 2
 *
 * A department that registers data nobody uses and only takes grants scores 100; one whose every
 * dataset is used and that gives as many grants as it receives scores 25; one that only gives, 0.
 */
export interface DepartmentSiloFacts {
  datasets: number;
  /** Datasets of the department no other org has accessed under a grant. */
  datasetsUnused: number;
  /** Grants the department gave to other orgs (revoked ones included: they were given). */
  grantsGiven: number;
  /** Grants other orgs gave the department. */
  grantsReceived: number;
}

export function siloIndex(f: DepartmentSiloFacts): number {
  const unused = f.datasets > 0 ? f.datasetsUnused / f.datasets : 1;
  const grants = f.grantsGiven + f.grantsReceived;
  const oneWay = grants > 0 ? f.grantsReceived / grants : 1;
  return (100 * (unused + oneWay)) / 2;
}

/** Provides: gave a grant to another org, or another org used its data. */
export function provides(f: DepartmentSiloFacts & { dataUsed: boolean }): boolean {
  return f.grantsGiven > 0 || f.dataUsed;
}

/** Consume-only: received grants but provides nothing. */
export function consumesOnly(f: DepartmentSiloFacts & { dataUsed: boolean }): boolean {
  return f.grantsReceived > 0 && !provides(f);
}
