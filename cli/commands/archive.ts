import { userInfo } from 'node:os';
import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { parseMonth } from '../../db/partitions';
import { archiveMonths, ArchiveInputError } from '../../server/archive/archive';
import { shanghaiNowIso } from '../../server/exports/manifest';
import { registerSigningKey } from '../../server/signing/registry';
import { loadSigningKey, SigningKeyMissingError } from '../../server/signing/keys';
import { migrationUrl } from '../../workers/env';
import { CliError, requireString, type CliCommand } from '../command';

const usage = 'archive --before YYYY-MM --out DIR';

/**
 * `archive --before YYYY-MM --out DIR` (DESIGN §9): exports every month before YYYY-MM of the
 * partitioned tables to DIR (gzip CSV per table and month, a manifest signed with
 * SIGNING_KEY_FILE), then detaches and drops those partitions. Refuses, changing nothing, when a
 * month is not complete or holds evidence of an open incident (docs/operations.md). Runs over the
 * owner's connection (DATABASE_MIGRATION_URL when set): dropping tables is the owner's right.
 */
export const archiveCommand: CliCommand = {
  name: 'archive',
  usage,
  options: { before: { type: 'string' }, out: { type: 'string' } },
  async run({ env, values }) {
    const before = requireString(values, 'before', usage);
    const out = requireString(values, 'out', usage);
    try {
      parseMonth(before);
    } catch (e) {
      throw new CliError(`--before: ${(e as Error).message}`);
    }
    let key;
    try {
      key = loadSigningKey(env.SIGNING_KEY_FILE);
    } catch (e) {
      if (e instanceof SigningKeyMissingError) throw new CliError(`archive signs its manifest: ${e.message}`);
      throw e;
    }
    const url = migrationUrl(env);
    await migrateDatabase(url);
    const handle = createDb(url, { max: 2, applicationName: 'lianjian-archive' });
    try {
      await registerSigningKey(handle.db, key);
      const r = await archiveMonths(handle.pool, {
        before,
        outDir: out,
        key,
        exportedBy: { id: null, label: `cli:${userInfo().username}` },
        exportedAt: shanghaiNowIso(),
      });
      return {
        months: r.months,
        manifest: r.manifest,
        manifestSm3: r.manifestSm3,
        files: r.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes })),
      };
    } catch (e) {
      if (e instanceof ArchiveInputError) throw new CliError(e.message);
      throw e;
    } finally {
      await handle.close();
    }
  },
};
