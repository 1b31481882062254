import type { Linter } from 'eslint';

/** Which top-level folders each folder may import (DESIGN §7). */
export const IMPORT_GRAPH: Readonly<Record<string, readonly string[]>>;
export const TOP_FOLDERS: readonly string[];
/** The flat-config blocks that enforce IMPORT_GRAPH with `no-restricted-imports`. */
export function boundaryConfigs(): Linter.Config[];
