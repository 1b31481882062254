import { createDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { CLI_ACTOR } from '../../server/audit';
import { ServiceError } from '../../server/errors';
import { createToken } from '../../server/services/tokens';
import { findUserByEmail } from '../../server/services/users';
import { CliError, requireString, type CliCommand } from '../command';

const usage = 'create-token --email E [--name N]';

export const createTokenCommand: CliCommand = {
  name: 'create-token',
  usage,
  options: { email: { type: 'string' }, name: { type: 'string' } },
  async run({ env, values }) {
    const email = requireString(values, 'email', usage);
    const name = typeof values.name === 'string' && values.name.length > 0 ? values.name : 'cli';
    await migrateDatabase(env.DATABASE_URL);
    const handle = createDb(env.DATABASE_URL, { max: 1, applicationName: 'lianjian-cli' });
    try {
      const user = await findUserByEmail(handle.db, email);
      if (!user) throw new CliError(`no user with e-mail ${email}`);
      const { id, token } = await createToken({ db: handle.db, actor: CLI_ACTOR }, { userId: user.id, name });
      // The only time the token is shown: it is stored as a sha256 hash.
      return { token, id };
    } catch (e) {
      if (e instanceof ServiceError) throw new CliError(e.message);
      throw e;
    } finally {
      await handle.close();
    }
  },
};
