/** The three simulation sizes and the block interval each uses. */
export const SCALE_NAMES = ['small', 'medium', 'large'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

export interface ScaleParams {
  name: ScaleName;
  /** Events aimed for over the whole span, whatever the number of days. */
  targetEvents: number;
  /** Preferred seconds between blocks; raised for long spans to stay within `maxBlocks`. */
  preferredInterval: number;
  /**
   * anvil's cost per mined block grows with chain length (measured: ~1 ms at height 1k, ~10 ms at
   * 8k), so the block count, not the event count, dominates for long spans. Cap it per scale.
   */
  maxBlocks: number;
  /** Seconds of activity gathered into one active block (a gateway batching its submissions). */
  windowSeconds: number;
  enterprisesPerCity: number;
  hospitalsPerCity: number;
  datasetsPerDepartment: number;
  minGrants: number;
}

export const SCALES: Record<ScaleName, ScaleParams> = {
  small: {
    name: 'small',
    targetEvents: 20_000,
    preferredInterval: 60,
    maxBlocks: 2_500,
    windowSeconds: 900,
    enterprisesPerCity: 4,
    hospitalsPerCity: 2,
    datasetsPerDepartment: 3,
    minGrants: 300,
  },
  medium: {
    name: 'medium',
    targetEvents: 1_000_000,
    preferredInterval: 30,
    maxBlocks: 4_000,
    windowSeconds: 600,
    enterprisesPerCity: 8,
    hospitalsPerCity: 3,
    datasetsPerDepartment: 4,
    minGrants: 1_500,
  },
  large: {
    name: 'large',
    targetEvents: 10_000_000,
    preferredInterval: 15,
    maxBlocks: 6_000,
    windowSeconds: 300,
    enterprisesPerCity: 12,
    hospitalsPerCity: 4,
    datasetsPerDepartment: 5,
    minGrants: 5_000,
  },
};

const NICE_INTERVALS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 14400];

/** The regular block interval I (seconds) for a scale and a span of `days`. */
export function blockInterval(scale: ScaleParams, days: number): number {
  const needed = Math.max(scale.preferredInterval, Math.ceil((days * 86400) / scale.maxBlocks));
  return NICE_INTERVALS.find((i) => i >= needed) ?? Math.ceil(needed / 3600) * 3600;
}

/** Blocks per activity window: activity lands on every `windowBlocks`-th block. */
export function windowBlocks(scale: ScaleParams, interval: number): number {
  return Math.max(1, Math.round(scale.windowSeconds / interval));
}

/** Anomaly cases per rule: ≈ 0.1 % of events over the 14 event rules, at least 3 each. */
export function casesPerRule(scale: ScaleParams): number {
  return Math.max(3, Math.round((scale.targetEvents * 0.001) / 14));
}
