/** A structured log line: `level` (default info) and `msg`, the rest as fields. */
export type LogLine = (line: Record<string, unknown>) => void;
