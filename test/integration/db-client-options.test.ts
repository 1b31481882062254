import { describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The settings a pool's connections run with, as the server reports them. */
async function settingsOf(opts: Parameters<typeof createDb>[1]): Promise<Record<string, string>> {
  const h = createDb(URL, { max: 1, ...opts });
  try {
    const { rows } = await h.pool.query<{ name: string; setting: string }>(
      "select name, setting from pg_settings where name in ('jit', 'tcp_keepalives_idle', 'tcp_user_timeout')",
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await h.close();
  }
}

describe('createDb server options', () => {
  it('jit: false turns JIT off for every connection of the pool; the default leaves the server’s', async () => {
    const server = await settingsOf({});
    expect((await settingsOf({ jit: false })).jit).toBe('off');
    expect((await settingsOf({ jit: true })).jit).toBe(server.jit);
  });

  it('with the lock-releasing keepalives too, both sets of options reach the server', async () => {
    const s = await settingsOf({
      jit: false,
      releaseLocksOfVanishedClients: { idleInTransactionMs: 60_000 },
    });
    expect(s).toEqual({ jit: 'off', tcp_keepalives_idle: '5', tcp_user_timeout: '10000' });
  });
});
