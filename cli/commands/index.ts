import type { CliCommand } from '../command';
import { createTokenCommand } from './create-token';
import { createUserCommand } from './create-user';
import { deployCommand } from './deploy';
import { migrateCommand } from './migrate';
import { indexCommand } from './index-chain';
import { statsCommand } from './stats';
import { reindexCommand } from './reindex';

/** Every command of DESIGN §3 that has landed; add new ones here. */
export const COMMANDS: CliCommand[] = [deployCommand, migrateCommand, indexCommand, statsCommand, reindexCommand, createUserCommand, createTokenCommand];
