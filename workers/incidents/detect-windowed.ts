import type { Db } from '../../db/client';
import type { RuleSettings } from '../../domain/rules';
import { detectChainStalls } from '../rules/chain-stalled';
import { loadRuleSettings } from '../rules/settings';
import { detectVolumeSpikes } from '../rules/volume-spike';
import { writeFindings } from './write-findings';

export interface WindowedDetectionResult {
  volumeSpikes: { found: number; created: number };
  chainStalls: { found: number; created: number };
}

/**
 * The windowed rules (VOLUME_SPIKE, CHAIN_STALLED) over what is indexed, written in one
 * transaction. Idempotent: a second run over the same rows creates nothing, so any number of
 * workers may run it on a schedule. Settings default to the stored overrides; `now` (unix seconds)
 * to the clock, for the live stall.
 */
export async function runWindowedDetection(p: {
  db: Db;
  chainId: number;
  settings?: RuleSettings;
  now?: number;
  fromDay?: string;
  toDay?: string;
  /** CHAIN_STALLED's live condition (now − head time); default true */
  liveStall?: boolean;
  /** CHAIN_STALLED at all (default true): a backfill's passes over completed days leave it out. */
  stalls?: boolean;
}): Promise<WindowedDetectionResult> {
  const settings = p.settings ?? (await loadRuleSettings(p.db));
  const now = p.now ?? Math.floor(Date.now() / 1000);
  return p.db.transaction(async (tx) => {
    const spikes = await detectVolumeSpikes({
      db: tx,
      chainId: p.chainId,
      settings,
      fromDay: p.fromDay,
      toDay: p.toDay,
    });
    const stalls =
      p.stalls === false
        ? []
        : await detectChainStalls({ db: tx, chainId: p.chainId, settings, now, live: p.liveStall });
    return {
      volumeSpikes: {
        found: spikes.length,
        created: await writeFindings(tx, p.chainId, spikes, { appendEvidence: true }),
      },
      chainStalls: {
        found: stalls.length,
        created: stalls.length > 0 ? await writeFindings(tx, p.chainId, stalls) : 0,
      },
    };
  });
}
