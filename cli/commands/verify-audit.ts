import { createDb } from '../../db/client';
import { verifyAuditChain } from '../../db/audit-chain';
import { CliError, type CliCommand } from '../command';

/**
 * `verify-audit` (DESIGN §9): recomputes the audit log's SM3 hash chain row by row. Prints
 * `{"ok":true,"rows","unchained","lastId","lastHash"}`; on the first broken link exits non-zero
 * naming the row and why. Only reads, so the runtime role (or a read-only auditor) may run it.
 */
export const verifyAuditCommand: CliCommand = {
  name: 'verify-audit',
  usage: 'verify-audit',
  options: {},
  async run({ env }) {
    const dbh = createDb(env.DATABASE_URL, { max: 1, applicationName: 'lianjian-verify-audit' });
    try {
      const result = await verifyAuditChain(dbh.db);
      if (!result.ok) {
        throw new CliError(
          `audit chain broken at row ${result.brokenAt ?? '?'} (${result.reason}): ${result.message}; ` +
            `${result.rows} rows read`,
        );
      }
      return result;
    } finally {
      await dbh.close();
    }
  },
};
