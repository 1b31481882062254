import type { CliCommand } from '../command';
import { deployCommand } from './deploy';
import { migrateCommand } from './migrate';

/** Every command of DESIGN §3 that has landed; add new ones here. */
export const COMMANDS: CliCommand[] = [deployCommand, migrateCommand];
