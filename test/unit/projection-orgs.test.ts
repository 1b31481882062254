import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../workers/projections/apply';
import { ProjectionStore } from '../../workers/projections/store';
import { addr, event, h32 } from './rules-fixtures';

const A = addr(0x44);
const registered = (block: number, name: string) =>
  event(
    'OrgRegistered',
    { account: A, orgCode: h32(1), regionCode: 440100, kind: 1, name },
    { blockNumber: block, blockTime: 1_788_000_000 + block * 60 },
  );

describe('projection: an org keeps the date it became a member', () => {
  it('re-registering an active member updates its attributes, not its registration', () => {
    const s = new ProjectionStore(31337);
    applyEvent(s, registered(10, '广州市公安局'));
    // The demo's live activity used to register every department again when it started.
    applyEvent(s, registered(2172, '广州市公安局（新）'));
    const o = s.orgs.get(A)!;
    expect(o.name).toBe('广州市公安局（新）');
    expect(o.registered.blockNumber).toBe(10);
    expect(o.registeredAt).toBe(1_788_000_000 + 10 * 60);
  });

  it('after a deactivation, a new registration starts a new membership', () => {
    const s = new ProjectionStore(31337);
    applyEvent(s, registered(10, '广州市公安局'));
    applyEvent(s, event('OrgDeactivated', { account: A }, { blockNumber: 20 }));
    applyEvent(s, registered(30, '广州市公安局'));
    const o = s.orgs.get(A)!;
    expect(o.active).toBe(true);
    expect(o.registered.blockNumber).toBe(30);
  });
});
