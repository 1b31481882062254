import { migrationUrl } from '../../workers/env';
import { isValidRegionCode } from '../../domain/regions';
import { sql } from 'drizzle-orm';
import { createDb } from '../../db/client';
import { orgs } from '../../db/schema';
import { migrateDatabase } from '../../db/migrate';
import { CLI_ACTOR } from '../../server/audit';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../server/auth/password';
import { ServiceError } from '../../server/errors';
import { isRole, ROLES } from '../../server/permissions';
import { createUser } from '../../server/services/users';
import { CliError, intOption, requireString, type CliCommand } from '../command';

/** A department user without --region gets its organisation's region (when the chain has it indexed). */
const usage = `create-user --email E --password P --role ${ROLES.join('|')} [--region CODE] [--org ADDRESS] [--name N]`;

export const createUserCommand: CliCommand = {
  name: 'create-user',
  usage,
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string' },
    region: { type: 'string' },
    name: { type: 'string' },
    org: { type: 'string' },
  },
  async run({ env, values }) {
    const email = requireString(values, 'email', usage);
    const password = requireString(values, 'password', usage);
    const role = requireString(values, 'role', usage);
    if (!isRole(role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw new CliError(`--email "${email}" is not an e-mail address`);
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      throw new CliError(`--password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters`);
    }
    const regionCode = values.region === undefined ? null : intOption(values, 'region');
    if (regionCode !== null && !isValidRegionCode(regionCode)) {
      throw new CliError(`--region ${regionCode} is not a 6-digit region code (e.g. 440000, 440100)`);
    }
    const name = typeof values.name === 'string' ? values.name : undefined;
    const orgAddress = typeof values.org === 'string' ? values.org : null;
    if (role === 'department' && !orgAddress)
      throw new CliError('--org ADDRESS is required for a department user (the organisation it answers for)');

    await migrateDatabase(migrationUrl(env));
    const handle = createDb(env.DATABASE_URL, { max: 1, applicationName: 'lianjian-cli' });
    try {
      // A department answers for one organisation: without --region it takes the organisation's
      // region as the chain registered it, so its pages do not read 全国 / Nation-wide.
      let region = regionCode;
      if (region === null && role === 'department' && orgAddress) {
        const [org] = await handle.db
          .select({ regionCode: orgs.regionCode })
          .from(orgs)
          .where(sql`lower(${orgs.address}) = ${orgAddress.toLowerCase()}`)
          .limit(1);
        region = org?.regionCode ?? null;
      }
      const user = await createUser(
        { db: handle.db, actor: CLI_ACTOR },
        { email, password, name, role, regionCode: region, orgAddress },
      );
      return { id: user.id, email: user.email, role: user.role, regionCode: user.regionCode };
    } catch (e) {
      if (e instanceof ServiceError) throw new CliError(e.message);
      throw e;
    } finally {
      await handle.close();
    }
  },
};
