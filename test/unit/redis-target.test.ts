import { describe, expect, it } from 'vitest';
import { parseSentinels, redisTarget } from '../../domain/redis-target';
import { parseWebEnv } from '../../server/env';
import { loadWorkerEnv } from '../../workers/env';

describe('REDIS_SENTINELS', () => {
  it('parses host:port lists, IPv6 in brackets, and ignores blanks', () => {
    expect(parseSentinels('10.0.0.1:26379, redis-b:26380,[::1]:26381,')).toEqual([
      { host: '10.0.0.1', port: 26379 },
      { host: 'redis-b', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
  });

  it.each(['10.0.0.1', ':26379', 'a:0', 'a:70000', 'a:b', ','])('refuses "%s" with one plain line', (bad) => {
    expect(() => parseSentinels(bad)).toThrow(/^REDIS_SENTINELS: /);
  });

  it('sentinels take precedence over REDIS_URL; without them the URL is used', () => {
    expect(redisTarget({ url: 'redis://x:1', masterName: 'm' })).toEqual({ kind: 'url', url: 'redis://x:1' });
    expect(redisTarget({ url: 'redis://x:1', sentinels: 'a:1', masterName: 'm' })).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 'a', port: 1 }],
      masterName: 'm',
    });
  });

  it('both runtimes refuse a malformed list at start-up and default the master name', () => {
    expect(() => loadWorkerEnv({ REDIS_SENTINELS: 'nohost' })).toThrow(/REDIS_SENTINELS/);
    expect(() => parseWebEnv({ REDIS_SENTINELS: 'nohost' })).toThrow(/REDIS_SENTINELS/);
    expect(loadWorkerEnv({ REDIS_SENTINELS: 'a:1' }).REDIS_MASTER_NAME).toBe('lianjian');
    expect(parseWebEnv({ REDIS_SENTINELS: 'a:1', REDIS_MASTER_NAME: 'prod' }).REDIS_MASTER_NAME).toBe('prod');
  });
});
