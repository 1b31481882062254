import { userInfo } from 'node:os';
import { migrationUrl } from '../../workers/env';
import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { EXPORT_FORMATS, type ExportFormat } from '../../server/exports/columns';
import {
  ExportFilterError,
  EXPORT_FILTER_KEYS,
  parseExportFilters,
} from '../../server/exports/incidents-query';
import {
  exportFileDigest,
  exportFileName,
  exportManifestHeader,
  openManifestFile,
  shanghaiNowIso,
} from '../../server/exports/manifest';
import { writeIncidentExport } from '../../server/exports/write-export';
import { registerSigningKey } from '../../server/signing/registry';
import { loadSigningKey, SigningKeyMissingError } from '../../server/signing/keys';
import { CliError, type CliCommand } from '../command';

const usage =
  'export-incidents --format csv|xlsx|json [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--rule R] [--severity S] [--status S] [--region CODE] [--manifest FILE]';

/**
 * DESIGN §6's export on stdout, for an operator: nation-wide scope (the CLI runs with the
 * database's own credentials). With --manifest, the SM2-signed manifest of the export
 * (docs/evidence.md) is written to FILE, signed with SIGNING_KEY_FILE.
 */
export const exportIncidentsCommand: CliCommand = {
  name: 'export-incidents',
  usage,
  options: {
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    rule: { type: 'string' },
    severity: { type: 'string' },
    status: { type: 'string' },
    region: { type: 'string' },
    manifest: { type: 'string' },
  },
  async run({ env, values }) {
    const format = values.format;
    if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new CliError(`--format must be csv, xlsx or json (usage: ${usage})`);
    }
    const raw: Record<string, string> = {};
    for (const k of EXPORT_FILTER_KEYS) {
      const v = values[k];
      if (typeof v === 'string') raw[k] = v;
    }
    let filters;
    try {
      filters = parseExportFilters(raw);
    } catch (e) {
      if (e instanceof ExportFilterError) throw new CliError(`--${e.message}`);
      throw e;
    }
    const fmt = format as ExportFormat;
    let key = null;
    if (typeof values.manifest === 'string') {
      try {
        key = loadSigningKey(env.SIGNING_KEY_FILE);
      } catch (e) {
        if (e instanceof SigningKeyMissingError) throw new CliError(`--manifest: ${e.message}`);
        throw e;
      }
    }
    await migrateDatabase(migrationUrl(env));
    const handle = createDb(env.DATABASE_URL, { max: 2, applicationName: 'lianjian-export' });
    const scope = { regionCode: null };
    const exportedAt = shanghaiNowIso();
    const manifest =
      typeof values.manifest === 'string' && key
        ? openManifestFile(values.manifest, {
            key,
            header: exportManifestHeader({
              format: fmt,
              filters,
              scope,
              exportedAt,
              exportedBy: { id: null, label: `cli:${userInfo().username}` },
            }),
          })
        : null;
    try {
      if (key) await registerSigningKey(handle.db, key);
      const result = await writeIncidentExport({
        db: handle.db,
        format: fmt,
        filters,
        scope,
        out: process.stdout,
        endOut: false,
        onEvidence: manifest ? (page) => manifest.append(page) : () => undefined,
      });
      const stamp = exportedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      manifest?.close(exportFileDigest(exportFileName(fmt, stamp), result));
      if (manifest)
        process.stderr.write(
          `${JSON.stringify({ rowCount: result.rowCount, sm3: result.sm3, sha256: result.sha256 })}\n`,
        );
    } catch (e) {
      manifest?.abort();
      throw e;
    } finally {
      await handle.close();
    }
    // The file is stdout: nothing else may be printed there.
    return undefined;
  },
};
