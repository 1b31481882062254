/** The chain simulator: `simulate` writes history with a ground truth, `startLiveActivity` keeps it going. */
export { simulate, type SimulateOptions, type SimulateSummary } from './simulate';
export { startLiveActivity, type LiveActivity, type LiveOptions } from './live';
export { SCALE_NAMES, SCALES, blockInterval, type ScaleName } from './scale';
export type { GroundTruth, GroundTruthCase, LogPointer } from './ground-truth';
