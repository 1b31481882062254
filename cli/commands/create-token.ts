import { migrationUrl } from '../../workers/env';
import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { CLI_ACTOR } from '../../server/audit';
import { ServiceError } from '../../server/errors';
import { createToken, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from '../../server/services/tokens';
import { findUserByEmail } from '../../server/services/users';
import { CliError, requireString, type CliCommand } from '../command';

const usage = 'create-token --email E [--name N] [--days D]';

export const createTokenCommand: CliCommand = {
  name: 'create-token',
  usage,
  options: { email: { type: 'string' }, name: { type: 'string' }, days: { type: 'string' } },
  async run({ env, values }) {
    const email = requireString(values, 'email', usage);
    const name = typeof values.name === 'string' && values.name.length > 0 ? values.name : 'cli';
    // Every token expires: 90 days unless --days says otherwise (at most TOKEN_MAX_DAYS).
    const days = typeof values.days === 'string' ? Number(values.days) : TOKEN_DEFAULT_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > TOKEN_MAX_DAYS) {
      throw new CliError(`--days must be a whole number from 1 to ${TOKEN_MAX_DAYS}`);
    }
    await migrateDatabase(migrationUrl(env));
    const handle = createDb(env.DATABASE_URL, { max: 1, applicationName: 'lianjian-cli' });
    try {
      const user = await findUserByEmail(handle.db, email);
      if (!user) throw new CliError(`no user with e-mail ${email}`);
      const { id, token, expiresAt } = await createToken(
        { db: handle.db, actor: CLI_ACTOR },
        { userId: user.id, name, expiresAt: new Date(Date.now() + days * 86_400_000) },
      );
      // The only time the token is shown: it is stored as a sha256 hash.
      return { token, id, expiresAt: expiresAt.toISOString() };
    } catch (e) {
      if (e instanceof ServiceError) throw new CliError(e.message);
      throw e;
    } finally {
      await handle.close();
    }
  },
};
